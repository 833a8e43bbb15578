using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect provider on loopback, as far as an API validating its tokens sees one: a discovery
/// document and a JWKS with one RSA key; it mints RS256 tokens for the cell's members.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    public TestIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-issuer-key" };
        Port = PostgresServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Authority => $"http://127.0.0.1:{Port}/realms/pare";

    /// <summary>How many times the API fetched the discovery document and the keys.</summary>
    public int Fetches { get; private set; }

    public string Token(string userId, string cell, params string[] roles)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = "pare-cell-api",
            Subject = new ClaimsIdentity([new Claim(Claims.Subject, userId), new Claim(Claims.Name, userId), new Claim(Claims.Cell, cell), .. roles.Select(r => new Claim(Claims.Role, r))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    private string Discovery() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = Authority,
        ["jwks_uri"] = $"{Authority}/protocol/openid-connect/certs",
        ["authorization_endpoint"] = $"{Authority}/protocol/openid-connect/auth",
        ["token_endpoint"] = $"{Authority}/protocol/openid-connect/token",
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

    private string Keys()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            var path = context.Request.Url!.AbsolutePath;
            var body = path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) ? Discovery()
                : path.EndsWith("/protocol/openid-connect/certs", StringComparison.Ordinal) ? Keys() : null;
            Fetches++;
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            if (body is not null) await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _rsa.Dispose();
    }
}
