using System.Globalization;
using System.Text;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Figures;

namespace Pare.Cell.Api.Caseload;

/// <summary>
/// CSV for the department's observatory: no name, no date of birth, no case reference the cell
/// uses — a pseudonym (HMAC of the case id with a key kept by the cell) and an age band. UTF-8,
/// comma-separated, RFC 4180 quoting, columns documented in docs/exports.md and stable.
/// </summary>
public sealed record ExportFigures(DateOnly? From, DateOnly? To, bool Episodes) : IQuery<string>;

public sealed class ExportFiguresValidator : AbstractValidator<ExportFigures>
{
    public ExportFiguresValidator()
    {
        RuleFor(q => q.From).NotEmpty();
        RuleFor(q => q.To).NotEmpty();
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
    }
}

public sealed class ExportFiguresHandler(IQuerySession session, Pseudonyms pseudonyms, TimeProvider clock, AccessJournal journal, CurrentUser user) : IQueryHandler<ExportFigures, string>
{
    public static readonly string[] FigureColumns = ["figure", "value"];

    public static readonly string[] EpisodeColumns =
    [
        "case_pseudonym", "age_band", "placement", "last_seen_date", "returned_date", "duration_hours", "classification",
        "return_mode", "return_interview", "risk_level", "alert_raised", "alert_delivery_seconds",
    ];

    public async ValueTask<string> Handle(ExportFigures query, CancellationToken cancellationToken)
    {
        var (cases, alerts) = await FiguresData.LoadAsync(session, cancellationToken);
        var from = FiguresData.Start(query.From!.Value);
        var to = FiguresData.Start(query.To!.Value);
        var now = clock.GetUtcNow();
        var csv = new StringBuilder();
        if (!query.Episodes)
        {
            var f = CellFigures.Compute(cases, FiguresData.Times(alerts), from, to, now);
            Row(csv, FigureColumns);
            foreach (var (name, value) in new (string, object?)[]
            {
                ("period_from", query.From), ("period_to", query.To), ("episodes", f.Episodes), ("distinct_minors_with_episodes", f.DistinctMinorsWithEpisodes),
                ("minors_followed", f.MinorsFollowed), ("minors_at_risk_or_in_situation", f.MinorsAtRiskOrInSituation),
                ("share_at_risk_or_in_situation_percent", f.ShareAtRiskOrInSituationPercent), ("median_episode_hours", f.MedianEpisodeHours),
                ("longest_episode_hours", f.LongestEpisodeHours), ("returns_with_interview_due", f.ReturnsWithInterviewDue),
                ("interviews_held_within_72h", f.InterviewsHeldWithin72Hours), ("interview_compliance_percent", f.InterviewCompliancePercent),
                ("alerts_raised", f.AlertsRaised), ("median_seconds_to_delivery", f.MedianSecondsToDelivery),
                ("median_minutes_to_acknowledgement", f.MedianMinutesToAcknowledgement),
            })
                Row(csv, [name, Format(value)]);
            return csv.ToString();
        }

        bool InPeriod(EpisodeSummary e) => e.LastSeenAt >= from && e.LastSeenAt < to;
        // Pseudonymised, but one row per episode of a minor: journaled like any read of those cases.
        var exported = cases.Where(c => c.Episodes.Any(InPeriod)).ToList();
        await journal.RecordAsync(user, [.. exported.Select(c => c.Id)], JournalActions.ExportEpisodes, cancellationToken);
        Row(csv, EpisodeColumns);
        foreach (var state in exported)
            foreach (var e in state.Episodes.Where(InPeriod).OrderBy(e => e.LastSeenAt))
            {
                var alert = alerts.FirstOrDefault(a => a.EpisodeId == e.Id);
                var interview = e.Interview switch
                {
                    InterviewStatus.Held when e.InterviewHeldAt <= e.ReturnedAt + AssessmentDecider.InterviewDueAfterReturn => "held_within_72h",
                    InterviewStatus.Held => "held_late",
                    InterviewStatus.NotHeld => "not_held",
                    _ => e.ReturnedAt is null ? "" : "due",
                };
                Row(csv,
                [
                    pseudonyms.For(state.Id),
                    CellFigures.AgeBand(state.Minor.AgeOn(DateOnly.FromDateTime(e.LastSeenAt.UtcDateTime))),
                    state.Placement.Kind.ToString(),
                    e.LastSeenAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    e.ReturnedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    e.ReturnedAt is null ? "" : Format(Math.Round(e.MissingFor(now).TotalHours, 1)),
                    e.Classification.ToString(),
                    e.ReturnMode?.ToString() ?? "",
                    interview,
                    state.RiskLevelAt(e.LastSeenAt)?.ToString() ?? "", // as assessed when the minor went missing
                    alert is null ? "no" : "yes",
                    alert?.SecondsToDelivery is { } s ? Format(Math.Round(s, 1)) : "",
                ]);
            }
        return csv.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Row(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(c => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : c));
        csv.Append("\r\n");
    }
}
