using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Cases;

public static class CaseRequests
{
    public static Dictionary<string, object?> NewCase(string firstName = "Inès", string lastName = "Moreau", string dateOfBirth = "2011-05-17") => new()
    {
        ["firstName"] = firstName,
        ["lastName"] = lastName,
        ["dateOfBirth"] = dateOfBirth,
        ["placement"] = new Dictionary<string, object?> { ["kind"] = "childWelfareEstablishment", ["establishment"] = "MECS Les Tilleuls" },
    };

    public static async Task<CaseView> OpenCaseAsync(this HttpClient client, Dictionary<string, object?>? body = null)
    {
        var response = await client.PostJsonAsync("/api/v1/cases", body ?? NewCase());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<CaseView>();
    }
}
