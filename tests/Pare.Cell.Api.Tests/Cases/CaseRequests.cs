using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Cases;

public static class CaseRequests
{
    /// <param name="lastName">Absent: one nobody else has, so that the cases a test opens are not probable duplicates of each other,
    /// and the canary by which the suite's <see cref="ResponseWitness"/> recognises this case's data in any response.</param>
    public static Dictionary<string, object?> NewCase(string firstName = "Inès", string? lastName = null, string dateOfBirth = "2011-05-17") => new()
    {
        ["firstName"] = firstName,
        ["lastName"] = lastName ?? UniqueFamilyName(),
        ["dateOfBirth"] = dateOfBirth,
        ["placement"] = new Dictionary<string, object?> { ["kind"] = "childWelfareEstablishment", ["establishment"] = "MECS Les Tilleuls" },
    };

    /// <summary>Eight random letters: no two share enough trigrams to be taken for the same name.</summary>
    public static string UniqueFamilyName() =>
        "M" + new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    public static async Task<CaseView> OpenCaseAsync(this HttpClient client, Dictionary<string, object?>? body = null)
    {
        var response = await client.PostJsonAsync("/api/v1/cases", body ?? NewCase());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<CaseView>();
    }
}
