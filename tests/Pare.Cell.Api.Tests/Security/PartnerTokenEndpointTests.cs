using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// <c>POST /api/v1/partner-auth/token</c>, the one anonymous door to partner data: it must not
/// tell a known client id from an unknown one (by answer or by time), nor let anyone try secrets
/// without end, nor burn the CPU on each try.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PartnerTokenEndpointTests(PareApp app)
{
    private async Task<PartnerClients.Issued> ClientAsync(string cell)
    {
        var head = app.Head(cell);
        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Asso", type = "association" })).ReadAsync<PartnerView>();
        return await (await head.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = new[] { "referrals:read" } })).ReadAsync<PartnerClients.Issued>();
    }

    private Task<HttpResponseMessage> TokenAsync(string clientId, string secret) =>
        app.Anonymous().PostAsync("/api/v1/partner-auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));

    private static string Cell() => $"cell-pt-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_wrong_secret_costs_the_same_for_a_known_client_id_as_for_an_unknown_one()
    {
        var cell = Cell();
        var known = new List<string>();
        for (var i = 0; i < 3; i++) known.Add((await ClientAsync(cell)).ClientId);
        var unknown = Enumerable.Range(0, 3).Select(_ => $"pc_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}").ToList();
        await TokenAsync(unknown[0], "warm-up");

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var attempt = 0; attempt < PartnerClients.MaxFailures - 1; attempt++)
        {
            for (var i = 0; i < 3; i++)
            {
                foreach (var (id, times) in new[] { (known[i], knownTimes), (unknown[i], unknownTimes) })
                {
                    var watch = Stopwatch.StartNew();
                    var response = await TokenAsync(id, "not-the-secret");
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
                    (await response.ReadObjectAsync())["error"]!.ToString().ShouldBe("invalid_client");
                }
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        // PBKDF2 took 35–82 ms for known ids, 1–4 ms for unknown ones; a keyed hash takes microseconds for both.
        Median(knownTimes).ShouldBeLessThan(Median(unknownTimes) * 2 + 5,
            $"known {Median(knownTimes):0.0} ms, unknown {Median(unknownTimes):0.0} ms");
    }

    [Fact]
    public async Task Failures_are_limited_per_client_id_known_or_not_until_the_window_ends()
    {
        var cell = Cell();
        var client = await ClientAsync(cell);
        var bystander = await ClientAsync(cell);
        var unknown = $"pc_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        foreach (var id in new[] { client.ClientId, unknown })
            for (var i = 0; i < PartnerClients.MaxFailures; i++)
                (await TokenAsync(id, $"guess-{i}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        foreach (var (id, secret) in new[] { (client.ClientId, client.ClientSecret), (unknown, "guess") })
        {
            var locked = await TokenAsync(id, secret);
            locked.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, id);
            locked.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.FromMinutes(14));
        }
        (await TokenAsync(bystander.ClientId, bystander.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Clock.Advance(PartnerClients.FailureWindow + TimeSpan.FromSeconds(1));
        (await TokenAsync(client.ClientId, client.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_secret_stored_by_the_earlier_scheme_still_works_and_is_stored_again_under_the_keyed_hash()
    {
        var cell = Cell();
        var client = await ClientAsync(cell);
        const string secret = "a-secret-issued-before-the-keyed-hash";
        var salt = RandomNumberGenerator.GetBytes(16);
        var pbkdf2 = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, 100_000, HashAlgorithmName.SHA256, 32);
        await app.ScalarAsync("update pare.partner_clients set secret_salt = $1, secret_hash = $2, secret_scheme = 'pbkdf2-sha256' where client_id = $3",
            salt, pbkdf2, client.ClientId);

        (await TokenAsync(client.ClientId, secret)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ScalarAsync("select count(*) from pare.partner_clients where client_id = $1 and secret_scheme = 'hmac-sha256' and secret_salt = ''", client.ClientId))
            .ShouldBe(1);
        (await TokenAsync(client.ClientId, secret)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TokenAsync(client.ClientId, "another")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_OpenAPI_document_states_the_401_and_the_429_of_the_token_endpoint()
    {
        var document = await (await app.Anonymous().GetAsync("/swagger/v1/swagger.json")).ReadObjectAsync();
        var responses = document["paths"]!["/api/v1/partner-auth/token"]!["post"]!["responses"]!;
        responses["401"]!["description"]!.ToString().ShouldContain("invalid_client");
        responses["429"]!["description"]!.ToString().ShouldContain("client id");
        responses["429"]!["headers"]!["Retry-After"].ShouldNotBeNull();
    }
}
