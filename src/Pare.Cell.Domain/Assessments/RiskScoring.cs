namespace Pare.Cell.Domain.Assessments;

/// <summary>An indicator the worker observed, and when.</summary>
public sealed record ObservedIndicator(string Key, DateOnly ObservedOn);

/// <summary>Why the score is what it is: each indicator's contribution.</summary>
public sealed record ScoreReason(string Indicator, IndicatorCategory Category, int Points, string Why);

public sealed record RiskScore(int Score, RiskLevel SuggestedLevel, IReadOnlyList<ScoreReason> Reasons);

/// <summary>
/// Score and suggested level from observed indicators (pure). Each indicator counts once, at its
/// most recent observation; an observation outside its window counts nothing. A confirming
/// indicator in its window suggests "in situation" whatever the score; otherwise 6 points or more
/// suggest "at risk". The worker's judgement has the last word (with a written justification).
/// </summary>
public static class RiskScoring
{
    public static RiskScore Score(RiskIndicatorCatalogue catalogue, IEnumerable<ObservedIndicator> observed, DateOnly today)
    {
        var reasons = new List<ScoreReason>();
        var confirmed = false;
        foreach (var latest in observed.GroupBy(o => o.Key).Select(g => g.MaxBy(o => o.ObservedOn)!))
        {
            var indicator = catalogue.Find(latest.Key) ?? throw new ArgumentException($"Unknown indicator '{latest.Key}'.", nameof(observed));
            var months = MonthsBetween(latest.ObservedOn, today);
            var (points, why) = indicator switch
            {
                { RecentMonths: null } => (indicator.RecentPoints, "observed"),
                _ when months < indicator.RecentMonths => (indicator.RecentPoints, $"observed within {indicator.RecentMonths} months"),
                { OlderMonths: { } older } when months < older => (indicator.OlderPoints, $"observed {indicator.RecentMonths}–{older} months ago"),
                _ => (0, "observed too long ago to count"),
            };
            var counts = points > 0 || (indicator.Category == IndicatorCategory.Confirming && months < indicator.RecentMonths);
            if (indicator.Category == IndicatorCategory.Confirming && counts) confirmed = true;
            reasons.Add(new ScoreReason(indicator.Key, indicator.Category, points, counts ? why : "observed too long ago to count"));
        }
        var score = reasons.Sum(r => r.Points);
        var level = confirmed ? RiskLevel.InSituation : score >= RiskIndicatorCatalogue.AtRiskScore ? RiskLevel.AtRisk : RiskLevel.NoneIdentified;
        return new RiskScore(score, level, reasons);
    }

    /// <summary>Whole months from <paramref name="from"/> to <paramref name="to"/> (0 within the first month).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        return to.Day < from.Day ? months - 1 : months;
    }

    /// <summary>When the next assessment is due: 3 months at risk or in situation, 6 months otherwise.</summary>
    public static DateTimeOffset ReassessmentDue(RiskLevel level, DateTimeOffset assessedAt) =>
        assessedAt.AddMonths(level is RiskLevel.AtRisk or RiskLevel.InSituation ? 3 : 6);
}
