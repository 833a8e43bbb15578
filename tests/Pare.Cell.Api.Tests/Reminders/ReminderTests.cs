using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Tests.Reminders;

[Collection(ApiCollection.Name)]
public sealed class ReminderTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string NewCell() => $"cell-r-{Guid.NewGuid():N}"[..18];

    private Task<FollowUpRun> RunFollowUpAsync() => app.Services.GetRequiredService<ReminderFollowUp>().RunAsync();

    private static async Task<ReminderInbox> InboxAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync($"/api/v1/reminders{query}")).ReadAsync<ReminderInbox>();

    private static async Task<List<ReminderItem>> CaseRemindersAsync(HttpClient client, Guid caseId) =>
        await (await client.GetAsync($"/api/v1/cases/{caseId}/reminders")).ReadAsync<List<ReminderItem>>();

    [Fact]
    public async Task A_return_creates_the_interview_reminder_overdue_at_73_hours_without_any_request_and_the_interview_completes_it()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-5));
        var returnedAt = Now;
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(returnedAt));

        var reminder = (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ReturnInterview);
        reminder.DueAt.ShouldBe(returnedAt.AddHours(72));
        reminder.Owner.ShouldBe("worker-1");
        reminder.CaseReference.ShouldBe(opened.Reference);

        app.Clock.Advance(TimeSpan.FromHours(73));
        await RunFollowUpAsync(); // the minutely job: no request touches the case
        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        timeline.Entries.ShouldContain(e => e.Type == "reminderOverdue" && e.Details["key"]!.ToString() == reminder.Key);
        (await InboxAsync(worker)).Overdue.ShouldContain(r => r.Key == reminder.Key);

        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return-interview/not-held", new { reason = "Minor placed in another department the same day" });
        (await CaseRemindersAsync(worker, opened.Id)).ShouldNotContain(r => r.Rule == ReminderRule.ReturnInterview);
        (await InboxAsync(worker)).Overdue.ShouldNotContain(r => r.Key == reminder.Key);
    }

    [Fact]
    public async Task A_referral_sent_after_the_follow_up_last_read_its_case_is_followed_up_on_time_though_the_case_did_not_change()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        await RunFollowUpAsync(); // the case's next moment is stored: nothing owed yet
        var partner = await (await app.Head(cell).PostJsonAsync("/api/v1/partners", new { name = "ASE", type = "childWelfareService" })).ReadAsync<Api.Partners.PartnerView>();
        var draft = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId = partner.Id, reason = "Suivi éducatif", shares = new[] { "identity" }, guardianConsented = true })).ReadAsync<Api.Referrals.ReferralView>();
        var sent = await (await worker.PostJsonAsync($"/api/v1/referrals/{draft.Id}/sending", new { })).ReadAsync<Api.Referrals.ReferralView>();
        var key = (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ReferralFollowUp).Key;

        app.Clock.Advance(sent.FollowUpDueAt!.Value - Now + TimeSpan.FromMinutes(1));
        await RunFollowUpAsync();

        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        timeline.Entries.ShouldContain(e => e.Type == "reminderOverdue" && e.Details["key"]!.ToString() == key);
    }

    [Fact]
    public async Task Contact_reminders_recur_while_the_episode_is_open_and_stop_when_it_closes()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1));
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}";

        (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ContactAttempt).DueAt.ShouldBe(Now.AddHours(12));

        app.Clock.Advance(TimeSpan.FromHours(5));
        await worker.RecordAsync($"{url}/contacts", Requests.Contact(Now));
        (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ContactAttempt).DueAt.ShouldBe(Now.AddHours(12));

        app.Clock.Advance(TimeSpan.FromHours(13));
        await RunFollowUpAsync();
        (await InboxAsync(worker)).Overdue.ShouldContain(r => r.Rule == ReminderRule.ContactAttempt && r.CaseId == opened.Id);
        await worker.RecordAsync($"{url}/contacts", Requests.Contact(Now));
        (await InboxAsync(worker)).Overdue.ShouldNotContain(r => r.Rule == ReminderRule.ContactAttempt && r.CaseId == opened.Id);

        await worker.RecordAsync($"{url}/return", Requests.Return(Now));
        (await CaseRemindersAsync(worker, opened.Id)).ShouldNotContain(r => r.Rule == ReminderRule.ContactAttempt);
    }

    [Fact]
    public async Task The_follow_up_reads_again_only_the_cases_whose_moment_came_or_that_changed_or_whose_settings_changed()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1)); // a contact attempt due in 12 h

        // Once every case has been read since it last changed, a run reads none of them.
        FollowUpRun run;
        var runs = 0;
        do run = await RunFollowUpAsync(); while (run.CasesRead > 0 && ++runs < 5);
        run.CasesRead.ShouldBe(0);
        run.OpenCases.ShouldBeGreaterThan(0);

        // A case that changed is read again, and only it.
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact(Now));
        (await RunFollowUpAsync()).CasesRead.ShouldBe(1);
        (await RunFollowUpAsync()).CasesRead.ShouldBe(0);

        // A moment computed under rules since changed is computed again.
        (await app.ScalarAsync("update pare.reminder_follow_up set rules_version = rules_version - 1 where case_id = $1 returning 1", opened.Id)).ShouldBe(1);
        (await RunFollowUpAsync()).CasesRead.ShouldBe(1);
        (await RunFollowUpAsync()).CasesRead.ShouldBe(0);

        // The cell's settings change: the reminder is now due 2 h after the contact, not 12. The
        // case is read again at once (nothing due yet), and then when its new moment comes.
        var head = app.Head(cell);
        var settings = ReminderSettings.Defaults with { ContactEveryHours = 2 };
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/reminders", settings, ifMatch: 0)).StatusCode.ShouldBe(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromHours(1));
        (await RunFollowUpAsync()).CasesRead.ShouldBeGreaterThan(0);
        (await RecordedOverdueAsync()).ShouldBe(0);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await RunFollowUpAsync();
        (await RecordedOverdueAsync()).ShouldBe(1);

        async Task<int> RecordedOverdueAsync() =>
            (await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>()).Entries.Count(e => e.Type == "reminderOverdue");
    }

    [Fact]
    public async Task An_overdue_reminder_is_escalated_to_the_head_after_the_grace_period_and_closing_the_case_cancels_reminders()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(Now));

        app.Clock.Advance(TimeSpan.FromHours(72 + 25));
        await RunFollowUpAsync();

        var head = app.Head(cell);
        var escalated = (await InboxAsync(head)).Overdue.Single(r => r.Rule == ReminderRule.ReturnInterview && r.CaseId == opened.Id);
        escalated.Escalated.ShouldBeTrue();
        await RunFollowUpAsync();
        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        timeline.Entries.Count(e => e.Type == "reminderEscalated").ShouldBe(1);

        var version = (await worker.GetCaseAsync(opened.Id)).Version;
        (await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "movedAway" }, version)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CaseRemindersAsync(head, opened.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_snooze_needs_a_reason_is_bounded_and_moves_the_reminder()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1));
        var key = (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ContactAttempt).Key;
        var url = $"/api/v1/cases/{opened.Id}/reminders/{Uri.EscapeDataString(key)}/snooze";

        (await (await worker.PostJsonAsync(url, new { until = Now.AddDays(1) })).ProblemFieldsAsync()).Keys.ShouldContain("reason");
        (await (await worker.PostJsonAsync(url, new { until = Now.AddDays(30), reason = "Holidays" })).ProblemFieldsAsync()).Keys.ShouldContain("until");
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/reminders/nope/snooze", new { until = Now.AddDays(1), reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await worker.PostJsonAsync(url, new { until = Now.AddDays(1), reason = "Family meeting planned tomorrow" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var snoozed = (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Key == key);
        snoozed.SnoozedUntil.ShouldBe(Now.AddDays(1));
        snoozed.SnoozeReason.ShouldBe("Family meeting planned tomorrow");
    }

    [Fact]
    public async Task Three_episodes_in_30_days_create_a_case_review_for_the_head_that_the_review_completes()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        for (var days = 20; days >= 0; days -= 10)
        {
            var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddDays(-days).AddHours(-4));
            await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(Now.AddDays(-days).AddHours(-1)));
        }
        var head = app.Head(cell);
        var review = (await CaseRemindersAsync(head, opened.Id)).Where(r => r.Rule == ReminderRule.CaseReview).ShouldHaveSingleItem();
        review.Owner.ShouldBe(Reminder.HeadOwner);
        (await InboxAsync(worker)).Overdue.Concat((await InboxAsync(worker)).DueToday).ShouldNotContain(r => r.Rule == ReminderRule.CaseReview);

        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/review", new { note = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/review", new { note = "Meeting with the ASE referent planned" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CaseRemindersAsync(head, opened.Id)).ShouldNotContain(r => r.Rule == ReminderRule.CaseReview);
    }

    [Fact]
    public async Task Rebuilding_the_case_projection_from_the_events_yields_the_same_reminders()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var first = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-30));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{first.EpisodeId}/return", Requests.Return(Now.AddHours(-20)));
        await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/risk-assessments", new { observations = new[] { new { indicator = "olderPartner", observedOn = "2026-11-01" } }, finalLevel = "noneIdentified", justification = "Context known" });
        var second = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-2));
        var key = (await CaseRemindersAsync(worker, opened.Id)).Single(r => r.Rule == ReminderRule.ContactAttempt).Key;
        await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/reminders/{Uri.EscapeDataString(key)}/snooze", new { until = Now.AddHours(20), reason = "Police on it" });
        var before = await CaseRemindersAsync(worker, opened.Id);
        before.Count.ShouldBeGreaterThanOrEqualTo(3);

        await app.ScalarAsync("delete from pare.mt_doc_case where id = $1", opened.Id);
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}/reminders")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await app.Services.GetRequiredService<IDocumentStore>().Advanced.RebuildSingleStreamAsync<Domain.Cases.Case>(opened.Id, cell);

        var after = await CaseRemindersAsync(worker, opened.Id);
        after.ShouldBe(before);
        second.EpisodeId.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_worker_sees_only_their_cell_s_and_their_own_reminders_and_the_head_sees_the_cell_s()
    {
        var cell = NewCell();
        var mine = await app.As("alice", cell, Api.Infrastructure.Auth.Roles.Worker).OpenCaseAsync();
        var theirs = await app.As("bob", cell, Api.Infrastructure.Auth.Roles.Worker).OpenCaseAsync();
        var elsewhere = await app.As("alice", NewCell(), Api.Infrastructure.Auth.Roles.Worker).OpenCaseAsync();
        foreach (var (user, c, caseId) in new[] { ("alice", cell, mine.Id), ("bob", cell, theirs.Id) })
            await app.As(user, c, Api.Infrastructure.Auth.Roles.Worker).ReportRunawayAsync(caseId, Now.AddHours(-1));
        var elsewhereWorker = app.As("alice", "other", Api.Infrastructure.Auth.Roles.Worker);
        elsewhere.Id.ShouldNotBe(mine.Id);

        var alice = await InboxAsync(app.As("alice", cell, Api.Infrastructure.Auth.Roles.Worker));
        var all = alice.Overdue.Concat(alice.DueToday).Concat(alice.Upcoming).ToList();
        all.ShouldContain(r => r.CaseId == mine.Id);
        all.ShouldNotContain(r => r.CaseId == theirs.Id || r.CaseId == elsewhere.Id);

        var head = await InboxAsync(app.Head(cell));
        var cellWide = head.Overdue.Concat(head.DueToday).Concat(head.Upcoming).Select(r => r.CaseId).ToList();
        cellWide.ShouldContain(mine.Id);
        cellWide.ShouldContain(theirs.Id);
        cellWide.ShouldNotContain(elsewhere.Id);
        var bobs = await InboxAsync(app.Head(cell), "?worker=bob");
        bobs.Overdue.Concat(bobs.DueToday).Concat(bobs.Upcoming).Select(r => r.CaseId).Distinct().ShouldBe([theirs.Id]);
        (await elsewhereWorker.GetAsync($"/api/v1/cases/{mine.Id}/reminders")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
