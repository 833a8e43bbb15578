using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// A case with unique, recognisable names and profile text goes through every capability (alert,
/// reminders, referral with a partner webhook, assessments, refused requests); then the captured
/// logs, every text column of the Hangfire schema and of the alert outbox, the stored idempotent
/// answers (sealed, before any housekeeping), the partner's webhook payloads and the error responses
/// are searched for the canary: zero hits. (The alert e-mail to
/// the prosecutor's office carries the minor's description by design and is not searched.)
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class CanaryTests(AlertingApp app)
{
    private static readonly string[] Canaries = ["Perce-Neige-Canari", "Oiseleur-Témoin", "2012-08-19", "Rue-des-Canaris-42", "0612345678"];

    [Fact]
    public async Task No_personal_data_reaches_logs_traces_metrics_job_tables_outbox_webhooks_or_error_responses()
    {
        app.Spans.Start();
        using var receiver = new WebhookReceiver();
        var cell = $"cell-k-{Guid.NewGuid():N}"[..18];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var head = app.Head(cell);
        var worker = app.Worker(cell);
        var errors = new List<string>();

        var openedWithKey = await worker.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase(Canaries[0], Canaries[1], Canaries[2]), null, Guid.NewGuid().ToString());
        var opened = await openedWithKey.ReadAsync<Api.Cases.CaseView>();
        await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { phones = new[] { Canaries[4] }, placesFrequented = new[] { Canaries[3] } }, 1);
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact());
        await app.Smtp.WaitForAsync(m => m.Subject!.Contains(opened.Reference, StringComparison.Ordinal));
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}")).EnsureSuccessStatusCode(); // journaled reads
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).EnsureSuccessStatusCode();

        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Asso", type = "association", webhookUrl = receiver.Url, webhookSecret = WebhookReceiver.NewSecret() })).ReadAsync<PartnerView>();
        var referral = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals", new { partnerId = partner.Id, reason = "Suivi", shares = new[] { "identity", "profile" }, guardianConsented = true })).ReadAsync<ReferralView>();
        await worker.PostJsonAsync($"/api/v1/referrals/{referral.Id}/sending", new { });
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(app.Clock.GetUtcNow()));
        await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/risk-assessments", new { observations = new[] { new { indicator = "olderPartner", observedOn = "2026-11-01" } }, finalLevel = "atRisk" });
        app.Clock.Advance(TimeSpan.FromHours(100));
        await app.RunOpenEpisodeReviewAsync();
        await app.RunAlertDeadlinesAsync();
        await app.Services.GetRequiredService<Api.Reminders.ReminderFollowUp>().RunAsync();
        await receiver.WaitForAsync(_ => true);
        receiver.Requests.ShouldNotBeEmpty();

        // Refused requests that carry the canary must not echo it back.
        errors.Add(await (await worker.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase(Canaries[0], Canaries[1], "2031-01-01"))).Content.ReadAsStringAsync());
        errors.Add(await (await worker.PostRawAsync("/api/v1/cases", $"{{\"firstName\":\"{Canaries[0]}\",\"lastName\":{{\"x\":\"{Canaries[1]}\"}}}}")).Content.ReadAsStringAsync());
        errors.Add(await (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/guardians", new { guardians = new[] { new { name = Canaries[1], relationship = "mother", email = Canaries[3] } } }, 999)).Content.ReadAsStringAsync());
        errors.Add(await (await app.Worker("another-cell").GetAsync($"/api/v1/cases/{opened.Id}")).Content.ReadAsStringAsync());
        // A query string is text a client chose (a search one day): traces record it redacted, if at all.
        errors.Add(await (await worker.GetAsync($"/api/v1/cases?limit=10&cursor={Uri.EscapeDataString(Canaries[0])}")).Content.ReadAsStringAsync());

        await app.Logs.WaitForAsync(l => l.Contains("responded 404", StringComparison.Ordinal));
        var exhaust = new List<(string Where, string Text)>();
        exhaust.AddRange(app.Logs.Lines.Select(l => ("log", l)));
        exhaust.AddRange(receiver.Requests.Select(r => ("webhook", r.Body)));
        exhaust.AddRange(errors.Select(e => ("error response", e)));
        exhaust.AddRange(await TextColumnsAsync("hangfire"));
        exhaust.AddRange(await TextColumnsAsync("pare", "alert_outbox"));
        exhaust.AddRange(await TextColumnsAsync("pare", "idempotent_requests"));
        var spans = app.Spans.Items;
        exhaust.AddRange(spans.SelectMany(SpanTexts).Select(t => ("span", t)));
        app.FlushMetrics();
        exhaust.AddRange(app.Metrics.SelectMany(MetricTexts).Select(t => ("metric", t)));
        var scrape = app.Anonymous();
        scrape.DefaultRequestHeaders.Authorization = new("Bearer", app.MetricsToken);
        var prometheus = await scrape.GetStringAsync("/metrics");
        exhaust.Add(("prometheus", prometheus));

        var hits = exhaust.Where(x => Canaries.Any(c => x.Text.Contains(c, StringComparison.Ordinal))).Select(x => $"{x.Where}: {x.Text[..Math.Min(200, x.Text.Length)]}").ToList();
        hits.ShouldBeEmpty(string.Join('\n', hits));
        exhaust.Count(x => x.Where == "log").ShouldBeGreaterThan(20);
        // The scan saw what could have leaked: SQL statements, the alert's SMTP send, the webhook, the use cases.
        spans.ShouldContain(s => s.Source.Name == "Npgsql" && (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) != null);
        spans.ShouldContain(s => s.Source.Name == "System.Net.Http" || s.Source.Name.StartsWith("OpenTelemetry.Instrumentation.Http", StringComparison.Ordinal));
        spans.ShouldContain(s => s.Source.Name == "Microsoft.AspNetCore");
        spans.ShouldContain(s => s.GetTagItem("pare.use_case") as string == "OpenCaseRequest");
        prometheus.ShouldContain("pare_use_case_duration_seconds");
        prometheus.ShouldContain("pare_journal_writes_total{");
    }

    /// <summary>Everything a span exports: its names, tags, events and their tags, links' tags, status, baggage.</summary>
    private static IEnumerable<string> SpanTexts(System.Diagnostics.Activity span)
    {
        yield return $"{span.Source.Name} {span.DisplayName} {span.OperationName} {span.StatusDescription}";
        foreach (var (key, value) in span.TagObjects) yield return $"{key}={value}";
        foreach (var e in span.Events)
        {
            yield return e.Name;
            foreach (var (key, value) in e.Tags) yield return $"{key}={value}";
        }
        foreach (var link in span.Links)
            foreach (var (key, value) in link.Tags ?? []) yield return $"{key}={value}";
        foreach (var (key, value) in span.Baggage) yield return $"{key}={value}";
    }

    /// <summary>Every metric's name and every label of every point.</summary>
    private static IEnumerable<string> MetricTexts(OpenTelemetry.Metrics.MetricSnapshot metric)
    {
        yield return $"{metric.MeterName} {metric.Name} {metric.Description}";
        foreach (var point in metric.MetricPoints)
            foreach (var tag in point.Tags) yield return $"{metric.Name} {tag.Key}={tag.Value}";
    }

    /// <summary>Every text-like column of every table of a schema (or one table), as text.</summary>
    private async Task<List<(string, string)>> TextColumnsAsync(string schema, string? table = null)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand("""
            select table_name, column_name, data_type from information_schema.columns
            where table_schema = $1 and ($2::text is null or table_name = $2) and data_type in ('text', 'character varying', 'jsonb', 'json', 'bytea')
            """, connection))
        {
            list.Parameters.Add(new() { Value = schema });
            list.Parameters.Add(new() { Value = (object?)table ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        var texts = new List<(string, string)>();
        foreach (var (t, c, type) in columns)
        {
            // bytea is read as UTF-8 as far as it decodes: text stored there in clear would show.
            var expression = type == "bytea" ? $"\"{c}\"" : $"\"{c}\"::text";
            await using var read = new NpgsqlCommand($"select {expression} from {schema}.\"{t}\" where \"{c}\" is not null", connection);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                texts.Add(($"{schema}.{t}.{c}", type == "bytea" ? System.Text.Encoding.UTF8.GetString((byte[])reader[0]) : reader.GetString(0)));
        }
        return texts;
    }
}
