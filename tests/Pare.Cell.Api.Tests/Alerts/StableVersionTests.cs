using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Alerts;

/// <summary>
/// A correct client sends the ETag of its last answer. It was refused (412) when the system had
/// recorded something of its own on the case in between: the dispatcher's delivery of the alert a
/// few milliseconds after the report, the reminder follow-up's overdue records. Those records do
/// not change the case's revision; a colleague's change does, and its 412 names the current ETag.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class StableVersionTests(AlertingApp app)
{
    [Fact]
    public async Task An_update_with_the_report_s_etag_is_accepted_while_the_alert_s_delivery_records_land()
    {
        var cell = $"cell-v-{Guid.NewGuid():N}"[..18];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        var report = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)));
        report.StatusCode.ShouldBe(HttpStatusCode.Created);
        var episode = await report.ReadAsync<EntryRecorded>();
        var etag = report.Headers.ETag!.Tag;
        var contacts = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts";

        // At once, as a client chaining its writes does, while the dispatcher records the delivery.
        var first = await worker.SendJsonAsync(HttpMethod.Post, contacts, Requests.Contact(), rawIfMatch: etag);
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        etag = first.Headers.ETag!.Tag;

        // Once the delivery is certainly recorded on the case: the ETag the client holds still names the case.
        await WaitForTimelineAsync(cell, opened.Id, "prosecutorAlertDelivered");
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}")).Headers.ETag!.Tag.ShouldBe(etag);
        var second = await worker.SendJsonAsync(HttpMethod.Post, contacts, Requests.Contact(), rawIfMatch: etag);
        second.StatusCode.ShouldBe(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        etag = second.Headers.ETag!.Tag;

        // The reminder follow-up records the contact attempt overdue: the system's bookkeeping again.
        app.Clock.Advance(TimeSpan.FromHours(13));
        await app.Services.GetRequiredService<Api.Reminders.ReminderFollowUp>().RunAsync();
        await WaitForTimelineAsync(cell, opened.Id, "reminderOverdue");
        var placement = await worker.SendJsonAsync(HttpMethod.Put, $"/api/v1/cases/{opened.Id}/placement",
            new { kind = "atHome" }, rawIfMatch: etag);
        placement.StatusCode.ShouldBe(HttpStatusCode.OK, await placement.Content.ReadAsStringAsync());

        // A colleague's change is another matter: 412, and the answer says which version is current.
        var stale = await worker.SendJsonAsync(HttpMethod.Post, contacts, Requests.Contact(), rawIfMatch: etag);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Headers.ETag.ShouldNotBeNull(); // the exception handler's own callback removes it: see UsePareProblemDetails
        stale.Headers.ETag!.Tag.ShouldBe(placement.Headers.ETag!.Tag);
    }

    private async Task WaitForTimelineAsync(string cell, Guid caseId, string type)
    {
        for (var i = 0; i < 300; i++)
        {
            var timeline = await (await app.Worker(cell).GetAsync($"/api/v1/cases/{caseId}/timeline")).ReadAsync<CaseTimeline>();
            if (timeline.Entries.Any(e => e.Type == type)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No {type} on the timeline.");
    }
}
