using System.Net;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Alerts;

/// <summary>Setting a cell up for alerts: routing to the test's SMTP server, and a chosen policy.</summary>
public static class AlertScenarios
{
    /// <summary>The prosecutor webhook's Standard Webhooks secret in these tests.</summary>
    public const string WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static object Routing(string? webhookUrl = null) => new
    {
        prosecutorEmail = "permanence.parquet@justice.example",
        onCall = new { name = "Astreinte cellule", phone = "+33 4 00 00 00 00", email = "astreinte@cellule.example" },
        headEmail = "cheffe.service@cellule.example",
        webhookUrl,
        webhookSecret = webhookUrl is null ? null : WebhookSecret,
        deliveryDeadlineMinutes = 10,
        acknowledgementDeadlineMinutes = 30,
    };

    /// <summary>Every criterion off but the ones named: the test decides what makes it worrying.</summary>
    public static object Criteria(bool young = false, bool health = false, bool firstEpisode = false, bool duration = false, bool danger = false, bool risk = false) => new
    {
        youngerThan = new { enabled = young, years = 15 },
        riskLevelAtRiskOrInSituation = new { enabled = risk },
        healthNeedsOrMedication = new { enabled = health },
        disability = new { enabled = false },
        selfHarmRisk = new { enabled = false },
        thirdPartyInvolvement = new { enabled = false },
        firstKnownEpisode = new { enabled = firstEpisode },
        dangerDeclared = new { enabled = danger },
        missingLongerThan = new { enabled = duration, hours = 48, youngerMinorHours = 24, youngerThanYears = 13 },
        repeatedEpisodes = new { enabled = false, episodes = 3, withinDays = 30 },
    };

    public static async Task ConfigureCellAsync(this PareApp app, string cell, object criteria, string? webhookUrl = null)
    {
        var head = app.Head(cell);
        var routing = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", Routing(webhookUrl), rawIfMatch: "\"0\"");
        routing.StatusCode.ShouldBe(HttpStatusCode.OK, await routing.Content.ReadAsStringAsync());
        var changed = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/criteria", criteria, ifMatch: 1);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
    }
}
