using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Staff;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Tests.Staff;

[Collection(ApiCollection.Name)]
public sealed class StaffDirectoryTests(PareApp app)
{
    private static string NewCell() => $"staff-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Everyone_who_signs_in_appears_with_the_name_and_roles_of_their_token_and_only_in_their_cell()
    {
        var cell = NewCell();
        var marie = app.Member("marie", cell, "Marie Durand", Roles.Worker);
        var head = app.Member("claire", cell, "Claire Petit", Roles.Head);
        (await marie.GetAsync("/api/v1/reminders")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var directory = await (await head.GetAsync("/api/v1/staff")).ReadAsync<List<StaffMember>>();

        directory.Select(m => (m.Id, m.Name, string.Join(',', m.Roles), m.Active)).ShouldBe([("claire", "Claire Petit", "head", true), ("marie", "Marie Durand", "worker", true)]);
        (await (await app.Member("x", NewCell(), "Other", Roles.Head).GetAsync("/api/v1/staff")).ReadAsync<List<StaffMember>>()).Select(m => m.Id).ShouldBe(["x"]);

        // A new name or role in the token is the directory's on the next request.
        await app.Member("marie", cell, "Marie Durand-Roux", Roles.Worker, Roles.Head).GetAsync("/api/v1/staff");
        var renamed = (await (await head.GetAsync("/api/v1/staff")).ReadAsync<List<StaffMember>>()).Single(m => m.Id == "marie");
        renamed.Name.ShouldBe("Marie Durand-Roux");
        renamed.Roles.ShouldBe(["head", "worker"]);
    }

    [Fact]
    public async Task Each_member_keeps_their_professional_phone_normalised_and_email_current_with_the_version_read()
    {
        var cell = NewCell();
        var marie = app.Member("marie", cell, "Marie Durand", Roles.Worker);
        var me = await marie.GetAsync("/api/v1/staff/me");
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = long.Parse(me.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

        var updated = await marie.PutJsonAsync("/api/v1/staff/me/contact", new { phone = "06.12.34.56.78", email = "marie.durand@cellule.example" }, version);
        updated.StatusCode.ShouldBe(HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        var saved = await updated.ReadAsync<StaffMember>();
        saved.Phone.ShouldBe("+33612345678");
        saved.Email.ShouldBe("marie.durand@cellule.example");
        saved.Version.ShouldBe(version + 1);
        updated.Headers.ETag!.Tag.ShouldBe($"\"{version + 1}\"");

        (await marie.PutJsonAsync("/api/v1/staff/me/contact", new { phone = "+33 6 12 34 56 79" }, version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await marie.SendJsonAsync(HttpMethod.Put, "/api/v1/staff/me/contact", new { phone = "+33 6 12 34 56 79" })).StatusCode.ShouldBe((HttpStatusCode)428);
        var invalid = await marie.PutJsonAsync("/api/v1/staff/me/contact", new { phone = "12", email = "marie@@cellule" }, version + 1);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await invalid.ProblemFieldsAsync()).Keys.Order().ShouldBe(["email", "phone"]);

        var international = await (await marie.PutJsonAsync("/api/v1/staff/me/contact", new { phone = "0044 20 7946 0958" }, version + 1)).ReadAsync<StaffMember>();
        international.Phone.ShouldBe("+442079460958");
        international.Email.ShouldBeNull(); // replaced whole: null clears
    }

    [Fact]
    public async Task A_head_deactivates_someone_their_cases_show_nobody_reachable_and_the_head_is_reminded_to_reassign()
    {
        var cell = NewCell();
        var paul = app.Member("paul", cell, "Paul Martin", Roles.Worker);
        var head = app.Member("claire", cell, "Claire Petit", Roles.Head);
        var opened = await paul.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        await paul.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        var other = await app.Member("marie", cell, "Marie Durand", Roles.Worker).OpenCaseAsync();

        (await paul.PostJsonAsync("/api/v1/staff/paul/deactivation", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await head.PostJsonAsync("/api/v1/staff/claire/deactivation", new { })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await head.PostJsonAsync("/api/v1/staff/nobody/deactivation", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var deactivated = await head.PostJsonAsync("/api/v1/staff/paul/deactivation", new { });
        deactivated.StatusCode.ShouldBe(HttpStatusCode.OK, await deactivated.Content.ReadAsStringAsync());
        (await deactivated.ReadAsync<StaffMember>()).Active.ShouldBeFalse();

        (await head.GetCaseAsync(opened.Id)).AssignedWorkerDeactivatedAt.ShouldBe(app.Clock.GetUtcNow());
        (await head.GetCaseAsync(other.Id)).AssignedWorkerDeactivatedAt.ShouldBeNull();
        // The contact attempt falls due hours from now: today or tomorrow in Paris, by the shared test clock.
        var inbox = await (await head.GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>();
        inbox.Overdue.ShouldContain(r => r.Rule == ReminderRule.Reassignment && r.CaseId == opened.Id && r.Owner == Reminder.HeadOwner);
        inbox.Overdue.Concat(inbox.DueToday).Concat(inbox.Upcoming).ShouldContain(r => r.Rule == ReminderRule.ContactAttempt && r.CaseId == opened.Id && r.Owner == Reminder.HeadOwner);

        var toPaul = await head.PutJsonAsync($"/api/v1/cases/{other.Id}/assignment", new { workerId = "paul" }, (await head.GetCaseAsync(other.Id)).Version);
        toPaul.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await toPaul.ProblemCodeAsync()).ShouldBe("worker-deactivated");

        var reassigned = await head.PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", new { workerId = "marie" }, (await head.GetCaseAsync(opened.Id)).Version);
        reassigned.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reassigned.ReadAsync<CaseView>()).AssignedWorkerDeactivatedAt.ShouldBeNull();
        (await (await head.GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>()).Overdue.ShouldNotContain(r => r.Rule == ReminderRule.Reassignment);
    }

    [Fact]
    public async Task Reactivated_before_their_cases_were_reassigned_a_worker_follows_them_again()
    {
        var cell = NewCell();
        var paul = app.Member("paul", cell, "Paul Martin", Roles.Worker);
        var head = app.Member("claire", cell, "Claire Petit", Roles.Head);
        var opened = await paul.OpenCaseAsync();
        (await head.PostJsonAsync("/api/v1/staff/paul/deactivation", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await head.GetCaseAsync(opened.Id)).AssignedWorkerDeactivatedAt.ShouldNotBeNull();

        var reactivated = await head.PostJsonAsync("/api/v1/staff/paul/reactivation", new { });

        (await reactivated.ReadAsync<StaffMember>()).Active.ShouldBeTrue();
        (await head.GetCaseAsync(opened.Id)).AssignedWorkerDeactivatedAt.ShouldBeNull();
        (await (await head.GetAsync("/api/v1/staff")).ReadAsync<List<StaffMember>>()).Single(m => m.Id == "paul").DeactivatedAt.ShouldBeNull();
    }
}
