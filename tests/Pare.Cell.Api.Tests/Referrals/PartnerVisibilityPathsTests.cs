using System.Net;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Referrals;

/// <summary>
/// What a partner can list, read and receive about a referral follows the referral's history, not
/// its current status: nothing until it was sent to that partner. Checked over every path of the
/// lifecycle up to <see cref="Length"/> steps, generated from every action the cell and the partner
/// can take on a referral drafted without consent (stating its ground is one of the actions): all
/// paths run side by side, one referral each, and after every step the partner's list, its read of each referral,
/// the webhook rows queued for it and its own answers are checked against the one rule.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PartnerVisibilityPathsTests(PareApp app)
{
    private const int Length = 3;

    private enum Action { StateGround, Send, Cancel, Revoke, Acknowledge, Accept, Decline, Progress, Complete }

    private static readonly Action[] PartnerActions = [Action.Acknowledge, Action.Accept, Action.Decline, Action.Progress, Action.Complete];

    private sealed class Path(Action[] actions)
    {
        public Action[] Actions { get; } = actions;
        public Guid ReferralId { get; set; }
        public bool Sent { get; set; }
        public List<string> Outcomes { get; } = [];
        public override string ToString() => $"draft → {string.Join(" → ", Outcomes)}";
    }

    private static IEnumerable<Action[]> Sequences(int length) => length == 0
        ? [[]]
        : Sequences(length - 1).SelectMany(prefix => Enum.GetValues<Action>().Select(a => (Action[])[.. prefix, a]));

    [Fact]
    public async Task A_partner_lists_reads_and_hears_of_a_referral_only_from_its_sending_on_along_every_path_of_its_lifecycle()
    {
        var cell = $"cell-v-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var head = app.Head(cell);
        var partnerId = (await (await head.PostJsonAsync("/api/v1/partners", new
        {
            name = "Association des chemins", type = "association", webhookUrl = "https://partner.example/hooks", webhookSecret = WebhookReceiver.NewSecret(),
        })).ReadAsync<PartnerView>()).Id;
        var partner = await app.PartnerClientAsync(await head.IssueClientAsync(partnerId));
        var opened = await worker.OpenCaseAsync();

        var paths = Sequences(Length).Select(actions => new Path(actions)).ToList();
        paths.Count.ShouldBe((int)Math.Pow(Enum.GetValues<Action>().Length, Length));
        await ForEachAsync(paths, async path =>
        {
            var drafted = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
                new { partnerId, reason = "Accompagnement", shares = new[] { "identity" } });
            drafted.StatusCode.ShouldBe(HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
            path.ReferralId = (await drafted.ReadAsync<ReferralView>()).Id;
        });

        var failures = new List<string>();
        await CheckAsync(cell, partner, paths, 0, failures);
        for (var step = 0; step < Length; step++)
        {
            await ForEachAsync(paths, async path =>
            {
                var action = path.Actions[step];
                var response = await ActAsync(action, path.ReferralId, worker, head, partner);
                var status = (int)response.StatusCode;
                path.Outcomes.Add($"{action} {status}");
                if (action == Action.Send && status == 200) path.Sent = true;
                if (!path.Sent && PartnerActions.Contains(action) && status != 404)
                    lock (failures) failures.Add($"{path}: the partner acted on a referral never sent to it");
                if (status >= 500) lock (failures) failures.Add($"{path}: {status}");
            });
            await CheckAsync(cell, partner, paths, step + 1, failures);
        }

        failures.ShouldBeEmpty(string.Join('\n', failures.Take(20)) + $"\n({failures.Count} in all)");
        paths.Count(p => p.Sent).ShouldBeGreaterThan(0);
        paths.Count(p => !p.Sent && p.Outcomes.Any(o => o.StartsWith("Cancel 200", StringComparison.Ordinal))).ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// The partner's whole view, against the one rule: listed, readable and notified if and only if
    /// sent. Every referral is checked in the list and the webhook rows; each distinct history so far
    /// (paths that took the same steps are in the same state) is read once.
    /// </summary>
    private async Task CheckAsync(string cell, HttpClient partner, List<Path> paths, int steps, List<string> failures)
    {
        var listed = (await (await partner.GetAsync("/api/v1/partner/referrals")).ReadAsync<List<PartnerReferralSummary>>()).Select(r => r.Id).ToHashSet();
        var notified = await NotifiedAsync(cell);
        var readOnce = paths.GroupBy(p => string.Join(',', p.Actions[..steps])).Select(g => g.First().ReferralId).ToHashSet();
        await ForEachAsync(paths, async path =>
        {
            var read = readOnce.Contains(path.ReferralId)
                ? (await partner.GetAsync($"/api/v1/partner/referrals/{path.ReferralId}")).StatusCode
                : path.Sent ? HttpStatusCode.OK : HttpStatusCode.NotFound;
            var wrong = new List<string>();
            if (listed.Contains(path.ReferralId) != path.Sent) wrong.Add(path.Sent ? "not listed" : "listed");
            if (read != (path.Sent ? HttpStatusCode.OK : HttpStatusCode.NotFound)) wrong.Add($"read {(int)read}");
            if (notified.Contains(path.ReferralId) != path.Sent) wrong.Add(path.Sent ? "no webhook queued" : "webhook queued");
            if (wrong.Count > 0) lock (failures) failures.Add($"{path}: {string.Join(", ", wrong)} ({(path.Sent ? "sent" : "never sent")})");
        });
    }

    /// <summary>The referrals a webhook was queued for: what the partner will receive.</summary>
    private async Task<HashSet<Guid>> NotifiedAsync(string cell)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select distinct case_id from pare.alert_outbox where cell_id = $1 and kind = 'ReferralUpdate'", connection);
        command.Parameters.Add(new() { Value = cell });
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static Task<HttpResponseMessage> ActAsync(Action action, Guid referralId, HttpClient worker, HttpClient head, HttpClient partner) => action switch
    {
        Action.StateGround => worker.SendJsonAsync(HttpMethod.Put, $"/api/v1/referrals/{referralId}/ground", new { guardianConsented = true }, rawIfMatch: "*"),
        Action.Send => worker.PostJsonAsync($"/api/v1/referrals/{referralId}/sending", new { }),
        Action.Cancel => worker.PostJsonAsync($"/api/v1/referrals/{referralId}/cancellation", new { reason = "Plus nécessaire" }),
        Action.Revoke => head.PostJsonAsync($"/api/v1/referrals/{referralId}/revocation", new { reason = "Retrait" }),
        Action.Acknowledge => partner.PostJsonAsync($"/api/v1/partner/referrals/{referralId}/acknowledgement", new { }),
        Action.Accept => partner.PostJsonAsync($"/api/v1/partner/referrals/{referralId}/acceptance", new { }),
        Action.Decline => partner.PostJsonAsync($"/api/v1/partner/referrals/{referralId}/decline", new { reason = "Pas de place" }),
        Action.Progress => partner.PostJsonAsync($"/api/v1/partner/referrals/{referralId}/progress", new { note = "Premier rendez-vous" }),
        _ => partner.PostJsonAsync($"/api/v1/partner/referrals/{referralId}/completion", new { note = "Terminé" }),
    };

    private static Task ForEachAsync(IEnumerable<Path> paths, Func<Path, Task> body) =>
        Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, _) => await body(path));
}
