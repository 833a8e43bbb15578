using System.Net;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class OpeningACaseValidationTests(PareApp app)
{
    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        // body, field named, French message fragment
        { """{"lastName":"Moreau","dateOfBirth":"2011-05-17","placement":{"kind":"atHome"}}""", "firstName", "ne doit pas être vide" },
        { """{"firstName":"","lastName":"Moreau","dateOfBirth":"2011-05-17","placement":{"kind":"atHome"}}""", "firstName", "ne doit pas être vide" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2027-01-01","placement":{"kind":"atHome"}}""", "dateOfBirth", "ne peut pas être dans le futur" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2008-11-28","placement":{"kind":"atHome"}}""", "dateOfBirth", "18 ans ou plus" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2011-05-17","placement":{"kind":"boardingSchool"}}""", "placement.kind", "n'est pas valide" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2011-05-17"}""", "placement", "ne doit pas être vide" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2011-05-17","placement":{"kind":"childWelfareEstablishment"}}""", "placement.establishment", "Indiquez l'établissement" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"17/05/2011","placement":{"kind":"atHome"}}""", "dateOfBirth", "n'est pas valide" },
        { """{"firstName":"Inès","lastName":"Moreau","dateOfBirth":"2011-05-17","placement":{"kind":"atHome"},"status":"closed"}""", "status", "n'est pas valide" },
        { """{"firstName":"Inès","lastName":""", "lastName", "n'est pas valide" },
        { "", "body", "corps de requête JSON est requis" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_input_answers_400_problem_details_naming_the_field_in_French_and_writes_nothing(string body, string field, string french)
    {
        var before = await app.EventCountAsync();

        var response = await app.Worker(language: "fr").PostRawAsync("/api/v1/cases", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ProblemFieldsAsync();
        fields.Keys.ShouldContain(field);
        fields[field].ShouldContain(m => m.Contains(french, StringComparison.Ordinal));
        (await response.ReadObjectAsync())["title"]!.ToString().ShouldBe("La requête est invalide.");
        (await app.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Messages_are_in_English_without_Accept_Language()
    {
        var body = CaseRequests.NewCase(dateOfBirth: "2027-01-01");
        var response = await app.Worker().PostJsonAsync("/api/v1/cases", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemFieldsAsync())["dateOfBirth"].ShouldBe(["The date of birth cannot be in the future."]);
    }

    [Fact]
    public async Task A_minor_turning_18_tomorrow_can_still_be_opened()
    {
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var body = CaseRequests.NewCase(dateOfBirth: today.AddYears(-18).AddDays(1).ToString("yyyy-MM-dd"));
        (await app.Worker().PostJsonAsync("/api/v1/cases", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Log_lines_carry_ids_never_the_minor_s_name_or_date_of_birth()
    {
        var cell = $"cell-lg-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zéphyrine-Canari", "Oiseau-Témoin", "2013-07-19"));
        await worker.GetAsync($"/api/v1/cases/{opened.Id}");
        await worker.GetAsync("/api/v1/cases");
        await worker.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase("Zéphyrine-Canari", "Oiseau-Témoin", "2031-07-19"));

        // Values render quoted, with the request's cell: HTTP "POST" "/api/v1/cases" responded 400 in … ms … CellId="…".
        // This test's own last request line, so every line of its requests is written before the leak checks.
        bool Refused(string line) => line.Contains("\"/api/v1/cases\" responded 400", StringComparison.Ordinal) && line.Contains(cell, StringComparison.Ordinal);
        await app.Logs.WaitForAsync(Refused);
        app.Logs.Lines.Any(Refused).ShouldBeTrue();
        app.Logs.Lines.ShouldContain(l => l.Contains(opened.Id.ToString(), StringComparison.Ordinal));
        app.Logs.Lines.ShouldNotContain(l => l.Contains("Canari", StringComparison.Ordinal) || l.Contains("Témoin", StringComparison.Ordinal) || l.Contains("2013-07-19", StringComparison.Ordinal) || l.Contains("2031-07-19", StringComparison.Ordinal));
    }
}
