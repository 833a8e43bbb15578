using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The API in the README's production sign-in mode: <c>Auth:Authority</c> (a <see cref="TestIssuer"/> on loopback),
/// no <c>Auth:SigningKey</c>; the keys an authority requires are set, partner tokens signed with <c>Partners:TokenSigningKey</c>.
/// </summary>
public sealed class AuthorityApp : PareApp
{
    public TestIssuer Issuer { get; } = new();

    public string PartnerTokenSigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:SigningKey", "");
        builder.UseSetting("Auth:Authority", Issuer.Authority);
        builder.UseSetting("Partners:TokenSigningKey", PartnerTokenSigningKey);
        foreach (var key in new[] { "Partners:SecretKey", "Alerts:LinkSigningKey", "Exports:PseudonymKey", "Search:JournalKey", "Idempotency:AnswerKey" })
            builder.UseSetting(key, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
    }

    /// <summary>A member of the cell with a token from the identity provider.</summary>
    public HttpClient Member(string userId, string cell, params string[] roles)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Token(userId, cell, roles));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Issuer.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AuthorityCollection : ICollectionFixture<AuthorityApp>
{
    public const string Name = "authority";
}
