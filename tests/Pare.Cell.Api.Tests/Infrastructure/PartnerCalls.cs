using System.Net;
using System.Net.Http.Headers;
using Pare.Cell.Api.Partners;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>A partner's credentials, issued by a head, and the API client a partner holds with them.</summary>
public static class PartnerCalls
{
    public static async Task<PartnerClients.Issued> IssueClientAsync(this HttpClient head, Guid partnerId, params string[] scopes)
    {
        var issued = await head.PostJsonAsync($"/api/v1/partners/{partnerId}/clients", new { scopes = scopes.Length > 0 ? scopes : PartnerClients.KnownScopes });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        return await issued.ReadAsync<PartnerClients.Issued>();
    }

    public static async Task<HttpClient> PartnerClientAsync(this PareApp app, PartnerClients.Issued issued)
    {
        var token = await app.Anonymous().PostAsync("/api/v1/partner-auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = issued.ClientId, ["client_secret"] = issued.ClientSecret,
        }));
        token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.ReadAsync<TokenResponse>()).AccessToken);
        return client;
    }
}
