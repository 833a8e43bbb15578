using System.Net;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.OnCall;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Tests.Staff;

[Collection(ApiCollection.Name)]
public sealed class OnCallTests(PareApp app)
{
    private static string NewCell() => $"oncall-{Guid.NewGuid():N}"[..20];

    /// <summary>Paris wall-clock time, to the minute, as a head types it.</summary>
    private static string Local(DateTimeOffset instant) => CellTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:00", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Minute(DateTimeOffset instant) => new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerMinute, instant.Offset);

    private async Task<(string Cell, HttpClient Head, DateTimeOffset Now)> CellWithStaffAsync()
    {
        var cell = NewCell();
        var head = app.Member("claire", cell, "Claire Petit", Roles.Head);
        foreach (var (id, name) in new[] { ("marie", "Marie Durand"), ("paul", "Paul Martin"), ("lea", "Léa Roux") })
        {
            var member = app.Member(id, cell, name, Roles.Worker);
            var me = await member.GetAsync("/api/v1/staff/me");
            (await member.SendJsonAsync(HttpMethod.Put, "/api/v1/staff/me/contact", new { phone = $"06 12 34 56 {id.Length}{id.Length}" }, rawIfMatch: me.Headers.ETag!.Tag))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        return (cell, head, Minute(app.Clock.GetUtcNow()));
    }

    /// <summary>Marie all week long; Paul for three hours around now; Léa for three hours tomorrow.</summary>
    private static object Rota(DateTimeOffset now) => new
    {
        weekly = Enum.GetValues<DayOfWeek>().Select(d => new { day = d.ToString().ToLowerInvariant(), start = "00:00:00", end = "00:00:00", staffId = "marie" }),
        exceptions = new[]
        {
            new { from = Local(now.AddHours(-1)), to = Local(now.AddHours(2)), staffId = "paul" },
            new { from = Local(now.AddDays(1)), to = Local(now.AddDays(1).AddHours(3)), staffId = "lea" },
        },
    };

    [Fact]
    public async Task A_head_defines_the_rota_and_everyone_reads_who_is_on_call_now_and_next_with_their_phone()
    {
        var (cell, head, now) = await CellWithStaffAsync();
        var worker = app.Member("marie", cell, "Marie Durand", Roles.Worker);
        (await worker.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(now), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(now))).StatusCode.ShouldBe((HttpStatusCode)428);

        var defined = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(now), rawIfMatch: "\"0\"");
        defined.StatusCode.ShouldBe(HttpStatusCode.OK, await defined.Content.ReadAsStringAsync());
        defined.Headers.ETag!.Tag.ShouldBe("\"1\"");
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(now), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var onCall = await (await worker.GetAsync("/api/v1/on-call")).ReadAsync<OnCallNow>();

        onCall.Now.ShouldNotBeNull();
        (onCall.Now.StaffId, onCall.Now.Name, onCall.Now.Phone, onCall.Now.From, onCall.Now.Until).ShouldBe(("paul", "Paul Martin", "+33612345644", now.AddHours(-1), now.AddHours(2)));
        onCall.Next.ShouldNotBeNull();
        (onCall.Next.StaffId, onCall.Next.Name, onCall.Next.From, onCall.Next.Until).ShouldBe(("marie", "Marie Durand", now.AddHours(2), now.AddDays(1)));
        onCall.Gaps.ShouldBeEmpty();
        var rota = await head.GetAsync("/api/v1/on-call/rota");
        rota.Headers.ETag!.Tag.ShouldBe("\"1\"");
        (await rota.Content.ReadAsStringAsync()).ShouldContain($"\"from\":\"{Local(now.AddHours(-1))}\"");
    }

    [Fact]
    public async Task A_rota_naming_someone_unknown_or_two_people_at_once_is_refused_naming_the_field()
    {
        var (_, head, now) = await CellWithStaffAsync();

        var unknown = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota",
            new { weekly = new[] { new { day = "monday", start = "18:00:00", end = "09:00:00", staffId = "nobody" } } }, rawIfMatch: "\"0\"");
        (await unknown.ProblemFieldsAsync()).Keys.ShouldBe(["weekly[0].staffId"]);
        var overlapping = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", new
        {
            weekly = new[]
            {
                new { day = "monday", start = "18:00:00", end = "09:00:00", staffId = "marie" },
                new { day = "tuesday", start = "08:00:00", end = "18:00:00", staffId = "paul" },
            },
        }, rawIfMatch: "\"0\"");
        (await overlapping.ProblemFieldsAsync()).Keys.ShouldBe(["weekly[1]"]);
        var withOffset = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota",
            new { weekly = Array.Empty<object>(), exceptions = new[] { new { from = "2026-12-24T18:00:00+01:00", to = "2026-12-25T09:00:00", staffId = "lea" } } }, rawIfMatch: "\"0\"");
        (await withOffset.ProblemFieldsAsync()).Keys.ShouldBe(["exceptions[0].from"]);
    }

    [Fact]
    public async Task A_gap_in_the_next_7_days_is_a_reminder_for_the_head_until_the_rota_covers_it()
    {
        var (cell, head, now) = await CellWithStaffAsync();
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(now), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await head.GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>()).Upcoming.ShouldNotContain(r => r.Rule == ReminderRule.OnCallGap);

        // Léa leaves: her three hours tomorrow are covered by nobody.
        (await head.PostJsonAsync("/api/v1/staff/lea/deactivation", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var onCall = await (await head.GetAsync("/api/v1/on-call")).ReadAsync<OnCallNow>();
        onCall.Gaps.Select(g => (g.From, g.Until)).ShouldBe([(now.AddDays(1), now.AddDays(1).AddHours(3))]);
        var inbox = await (await head.GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>();
        var gap = inbox.DueToday.Concat(inbox.Upcoming).Single(r => r.Rule == ReminderRule.OnCallGap);
        gap.DueAt.ShouldBe(now.AddDays(1));
        gap.Owner.ShouldBe(Domain.Reminders.Reminder.HeadOwner);
        gap.CaseId.ShouldBeNull();
        var marie = await (await app.Member("marie", cell, "Marie Durand", Roles.Worker).GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>();
        marie.Overdue.Concat(marie.DueToday).Concat(marie.Upcoming).ShouldNotContain(r => r.Rule == ReminderRule.OnCallGap);

        // Paul covers tomorrow's three hours instead.
        var fixedRota = new
        {
            weekly = Enum.GetValues<DayOfWeek>().Select(d => new { day = d.ToString().ToLowerInvariant(), start = "00:00:00", end = "00:00:00", staffId = "marie" }),
            exceptions = new[] { new { from = Local(now.AddDays(1)), to = Local(now.AddDays(1).AddHours(3)), staffId = "paul" } },
        };
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", fixedRota, rawIfMatch: "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await (await head.GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>();
        after.Overdue.Concat(after.DueToday).Concat(after.Upcoming).ShouldNotContain(r => r.Rule == ReminderRule.OnCallGap);
    }

    /// <summary>
    /// Paul follows a minor who goes missing; the next contact attempt falls due in 12 hours, when
    /// Marie is on call (Léa every other hour). Set around the test's own "now", whatever time of day it is.
    /// </summary>
    [Fact]
    public async Task A_missing_minor_reminder_falling_due_outside_office_hours_is_also_in_the_inbox_of_whoever_is_on_call_then()
    {
        var (cell, head, now) = await CellWithStaffAsync();
        var everyDay = Enum.GetValues<DayOfWeek>().Select(d => d.ToString().ToLowerInvariant()).ToList();
        object Rota(IEnumerable<object> officeHours) => new
        {
            weekly = everyDay.Select(d => new { day = d, start = "00:00:00", end = "00:00:00", staffId = "lea" }),
            exceptions = new[] { new { from = Local(now.AddHours(11)), to = Local(now.AddHours(13)), staffId = "marie" } },
            officeHours,
        };
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota([]), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.OK); // office never open
        var paul = app.Member("paul", cell, "Paul Martin", Roles.Worker);
        var opened = await paul.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        (await paul.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(now.AddHours(-2)))).StatusCode.ShouldBe(HttpStatusCode.Created);

        async Task<List<ReminderItem>> InboxAsync(HttpClient client, string query = "")
        {
            var inbox = await (await client.GetAsync($"/api/v1/reminders{query}")).ReadAsync<ReminderInbox>();
            return [.. inbox.Overdue.Concat(inbox.DueToday).Concat(inbox.Upcoming).Where(r => r.CaseId == opened.Id && r.Rule == ReminderRule.ContactAttempt)];
        }

        var marie = app.Member("marie", cell, "Marie Durand", Roles.Worker);
        var held = (await InboxAsync(marie)).ShouldHaveSingleItem();
        (held.Owner, held.OnCall, held.AssignedWorkerId).ShouldBe(("paul", "marie", "paul"));
        held.DueAt.ShouldBeInRange(now.AddHours(12), now.AddHours(12).AddMinutes(1));
        (await InboxAsync(paul)).ShouldHaveSingleItem().OnCall.ShouldBe("marie");
        (await InboxAsync(app.Member("lea", cell, "Léa Roux", Roles.Worker))).ShouldBeEmpty(); // on call now, not when it falls due
        (await InboxAsync(head, "?worker=marie")).ShouldHaveSingleItem().Key.ShouldBe(held.Key);

        // The office open round the clock: Paul is there to act on it, Marie holds nothing.
        var allDay = everyDay.Select(d => (object)new { day = d, opens = "00:00:00", closes = "23:59:59.9999999" });
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", Rota(allDay), rawIfMatch: "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await InboxAsync(marie)).ShouldBeEmpty();
        (await InboxAsync(paul)).ShouldHaveSingleItem().OnCall.ShouldBeNull();
    }
}
