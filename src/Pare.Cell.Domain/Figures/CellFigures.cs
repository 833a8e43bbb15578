using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Domain.Figures;

/// <summary>An alert's times, as the figures need them.</summary>
public sealed record AlertTimes(DateTimeOffset RaisedAt, DateTimeOffset? DeliveredAt, DateTimeOffset? AcknowledgedAt);

/// <summary>What the cell reports for a period [From, To): the department's observatory and the prosecutor's meetings.</summary>
public sealed record CellFigures(
    DateTimeOffset From,
    DateTimeOffset To,
    int Episodes,
    int DistinctMinorsWithEpisodes,
    int MinorsFollowed,
    int MinorsAtRiskOrInSituation,
    double? ShareAtRiskOrInSituationPercent,
    double? MedianEpisodeHours,
    double? LongestEpisodeHours,
    int ReturnsWithInterviewDue,
    int InterviewsHeldWithin72Hours,
    double? InterviewCompliancePercent,
    int AlertsRaised,
    double? MedianSecondsToDelivery,
    double? MedianMinutesToAcknowledgement)
{
    /// <summary>Pure: the same cases, alerts, period and moment always give the same figures.</summary>
    public static CellFigures Compute(IReadOnlyCollection<Case> cases, IReadOnlyCollection<AlertTimes> alerts, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        bool In(DateTimeOffset t) => t >= from && t < to;

        var episodes = cases.SelectMany(c => c.Episodes.Where(e => In(e.LastSeenAt)).Select(e => (Case: c, Episode: e))).ToList();
        var followed = cases.Where(c => c.OpenedAt < to && (c.ClosedAt is null || c.ClosedAt >= from)).ToList();
        // Each minor's level as the period ended, not as it is today: last year's figures do not move.
        var atRisk = followed.Count(c => c.RiskLevelAt(to) is RiskLevel.AtRisk or RiskLevel.InSituation);
        var durations = episodes.Where(x => x.Episode.ReturnedAt is not null).Select(x => x.Episode.MissingFor(now).TotalHours).ToList();

        var returns = cases.SelectMany(c => c.Episodes).Where(e => e.ReturnedAt is { } r && In(r) && e.Interview != InterviewStatus.NotOwed).ToList();
        var interviewWindow = AssessmentDecider.InterviewDueAfterReturn;
        var due = returns.Where(e => e.InterviewHeldAt is not null || e.Interview == InterviewStatus.NotHeld || now >= e.ReturnedAt!.Value + interviewWindow).ToList();
        var onTime = due.Count(e => e.InterviewHeldAt is { } held && held <= e.ReturnedAt!.Value + interviewWindow);

        var raised = alerts.Where(a => In(a.RaisedAt)).ToList();
        return new CellFigures(
            from, to,
            episodes.Count,
            episodes.Select(x => x.Case.Id).Distinct().Count(),
            followed.Count,
            atRisk,
            Percent(atRisk, followed.Count),
            Median(durations),
            durations.Count == 0 ? null : Math.Round(durations.Max(), 1),
            due.Count,
            onTime,
            Percent(onTime, due.Count),
            raised.Count,
            Median(raised.Where(a => a.DeliveredAt is not null).Select(a => (a.DeliveredAt!.Value - a.RaisedAt).TotalSeconds).ToList()),
            Median(raised.Where(a => a.AcknowledgedAt is not null).Select(a => (a.AcknowledgedAt!.Value - a.RaisedAt).TotalMinutes).ToList()));
    }

    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return Math.Round(median, 1);
    }

    private static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    /// <summary>Age bands for exports: no date of birth ever leaves.</summary>
    public static string AgeBand(int age) => age switch
    {
        < 13 => "under-13",
        13 or 14 => "13-14",
        15 or 16 => "15-16",
        _ => "17",
    };
}
