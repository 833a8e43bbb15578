using System.Net;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Serilog.Events;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Writers racing on one case conflict, decide again and succeed: nothing an operator must act on.
/// Marten's own logger wrote each conflict at error level with the command's parameters (the
/// events' bodies, a minor's data); the job server's log filled with them.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrencyLogTests(PareApp app)
{
    [Fact]
    public async Task Racing_writers_on_one_case_log_no_error_and_no_event_body()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        var note = $"Canari-{Guid.NewGuid():N}";
        var contact = Requests.Contact();
        contact["notes"] = note;

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            app.Worker().PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", contact)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        var events = app.Logs.Events;
        events.ShouldNotContain(e => e.Text.Contains(note, StringComparison.Ordinal));
        events.ShouldNotContain(e => e.Level >= LogEventLevel.Error && e.Text.Contains("Marten", StringComparison.Ordinal));
    }
}
