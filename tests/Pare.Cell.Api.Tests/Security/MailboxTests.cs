using System.Net;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Every e-mail address the API takes is read by the mailer's own parser: an address it could not
/// send to is a 400 naming the field, never saved (an alert toward it would stay pending forever).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MailboxTests(PareApp app)
{
    /// <summary>Each was accepted before, then left every alert of the cell pending with a ParseException (or worse, went elsewhere).</summary>
    public static readonly TheoryData<string> Unsendable = new()
    {
        "parquet@justice.example\r\nBcc: fuite@ailleurs.example",
        "parquet@justice.example\nx",
        "parquet@justice.example\u2028x",
        "parquet@justice.example\u2029",
        "parquet@justice.example\u0085",
        "Parquet: parquet@justice.example, copie@ailleurs.example;",
        "parquet@justice.example, copie@ailleurs.example",
        "Parquet <parquet@justice.example>",
        "parquet@justice.example (permanence)",
        "parquet@[10.0.0.5]",
        "parquet@localhost",
        "parquet",
        " parquet@justice.example",
        "parquet@justice.example\t",
        "parquét@justice.example",
        "",
    };

    private static string NewCell() => $"cell-m-{Guid.NewGuid():N}"[..18];

    /// <summary>Every field of the API that holds an e-mail address, with a request that sets it to a given value.</summary>
    private static readonly (string Field, Func<PareApp, string, Task<HttpResponseMessage>> Send)[] Fields =
    [
        ("prosecutorEmail", (app, email) => PutRoutingAsync(app, Routing(prosecutor: email))),
        ("headEmail", (app, email) => PutRoutingAsync(app, Routing(head: email))),
        ("onCall.email", (app, email) => PutRoutingAsync(app, Routing(onCall: email))),
        ("contacts[0].email", (app, email) => app.Head(NewCell()).PostJsonAsync("/api/v1/partners",
            new { name = "Association", type = "association", contacts = new[] { new { name = "Accueil", email } } })),
        ("guardians[0].email", async (app, email) =>
        {
            var worker = app.Worker();
            var opened = await worker.OpenCaseAsync();
            return await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/guardians",
                new { guardians = new[] { new { name = "Nadia M.", relationship = "mother", phone = "0600000000", email } } }, opened.Version);
        }),
        ("email", async (app, email) =>
        {
            var member = app.As($"m-{Guid.NewGuid():N}", NewCell(), Api.Infrastructure.Auth.Roles.Worker);
            var me = await member.GetAsync("/api/v1/staff/me");
            return await member.SendJsonAsync(HttpMethod.Put, "/api/v1/staff/me/contact", new { email }, rawIfMatch: me.Headers.ETag!.Tag);
        }),
    ];

    private static object Routing(string prosecutor = "permanence.parquet@justice.example", string head = "cheffe.service@cellule.example",
        string onCall = "astreinte@cellule.example") => new
    {
        prosecutorEmail = prosecutor,
        onCall = new { name = "Astreinte cellule", phone = "+33 4 00 00 00 00", email = onCall },
        headEmail = head,
        deliveryDeadlineMinutes = 10,
        acknowledgementDeadlineMinutes = 30,
    };

    private static Task<HttpResponseMessage> PutRoutingAsync(PareApp app, object routing) =>
        app.Head(NewCell()).SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", routing, rawIfMatch: "\"0\"");

    [Theory]
    [MemberData(nameof(Unsendable))]
    public async Task An_address_the_mailer_cannot_send_to_is_refused_in_every_field_naming_it(string address)
    {
        Mailboxes.TryParse(address, out _).ShouldBeFalse();
        foreach (var (field, send) in Fields)
        {
            var response = await send(app, address);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{field}: {await response.Content.ReadAsStringAsync()}");
            (await response.ProblemFieldsAsync()).Keys.ShouldContain(field);
        }
    }

    /// <summary>A new e-mail field anywhere in the API fails here until it is validated as a mailbox and listed in <see cref="Fields"/>.</summary>
    [Fact]
    public async Task Every_e_mail_field_of_the_API_is_one_the_tests_above_send_hostile_addresses_to()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var emailFields = document["components"]!["schemas"]!.AsObject()
            .SelectMany(schema => (schema.Value!["properties"]?.AsObject() ?? []).Select(p => p.Key)
                .Where(p => p.EndsWith("email", StringComparison.OrdinalIgnoreCase)).Select(p => $"{schema.Key}.{p}"))
            .Order().ToList();
        emailFields.ShouldBe(EmailSchemaProperties.Order().ToList(), "validate every e-mail field with Rules.Mailbox() and add it to Fields");
    }

    /// <summary>Where the fields of <see cref="Fields"/> are in the OpenAPI document (requests and answers alike).</summary>
    private static readonly string[] EmailSchemaProperties =
    [
        "Policies.AlertRoutingInput.prosecutorEmail", "Policies.AlertRoutingView.prosecutorEmail",
        "Policies.AlertRoutingInput.headEmail", "Policies.AlertRoutingView.headEmail",
        "Policies.OnCallContact.email",
        "Partners.PartnerContact.email",
        "Cases.Guardians.GuardianInput.email", "Cases.GuardianContact.email",
        "Staff.UpdateMyContact.email", "Staff.StaffMember.email",
    ];

    [Theory]
    [InlineData("permanence.parquet@justice.example")]
    [InlineData("o'neil+alertes@tribunal-lyon.example")]
    [InlineData("astreinte@mairie-étampes.example")]
    public async Task An_address_the_mailer_reads_as_one_mailbox_is_accepted_everywhere(string address)
    {
        Mailboxes.Parse(address).Address.ShouldBe(address);
        foreach (var (field, send) in Fields)
        {
            var response = await send(app, address);
            response.IsSuccessStatusCode.ShouldBeTrue($"{field}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
