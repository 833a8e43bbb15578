using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Domain.Policies;

/// <summary>
/// Which of the cell's criteria a missing minor's situation matches, now. Pure: the same case,
/// episode, policy and time always give the same answer, so every decision can be explained.
/// </summary>
public static class WorryingPolicy
{
    public static IReadOnlyList<MatchedCriterion> Evaluate(WorryingCriteria criteria, Case state, EpisodeSummary episode, DateTimeOffset now)
    {
        var matched = new List<MatchedCriterion>();
        var age = state.Minor.AgeOn(DateOnly.FromDateTime(now.UtcDateTime));
        var health = state.Profile.Health;
        var missingFor = episode.MissingFor(now);

        // Whereabouts known (unauthorised absence): only time and declared danger make it worrying.
        var isRunaway = episode.Classification != RunawayClassification.UnauthorisedAbsence;

        if (isRunaway && criteria.YoungerThan.Enabled && age < criteria.YoungerThan.Years)
            matched.Add(new(WorryingCriterion.YoungerThanThreshold, $"age {age} < {criteria.YoungerThan.Years}") { Value = age, Threshold = criteria.YoungerThan.Years });
        if (isRunaway && criteria.RiskLevelAtRiskOrInSituation.Enabled && state.RiskLevel is RiskLevel.AtRisk or RiskLevel.InSituation)
            matched.Add(new(WorryingCriterion.RiskLevel, $"risk level {state.RiskLevel}"));
        if (isRunaway && criteria.HealthNeedsOrMedication.Enabled && health is not null && (health.TakesMedication || !string.IsNullOrWhiteSpace(health.MedicalNeeds)))
            matched.Add(new(WorryingCriterion.HealthNeedsOrMedication, health.TakesMedication ? "takes medication" : "health needs in the profile"));
        if (isRunaway && criteria.Disability.Enabled && !string.IsNullOrWhiteSpace(health?.Disability))
            matched.Add(new(WorryingCriterion.Disability, "disability in the profile"));
        if (isRunaway && criteria.SelfHarmRisk.Enabled && health?.SelfHarmRisk == true)
            matched.Add(new(WorryingCriterion.SelfHarmRisk, "suicide or self-harm risk in the profile"));
        if (isRunaway && criteria.ThirdPartyInvolvement.Enabled && episode.ThirdPartySuspected)
            matched.Add(new(WorryingCriterion.ThirdPartyInvolvement, "third-party involvement or exploitation suspected"));
        if (isRunaway && criteria.FirstKnownEpisode.Enabled && state.Episodes.Count == 1)
            matched.Add(new(WorryingCriterion.FirstKnownEpisode, "first known episode"));
        if (criteria.DangerDeclared.Enabled && episode.DangerDeclared)
            matched.Add(new(WorryingCriterion.DangerDeclared, "danger declared by a worker"));

        if (criteria.MissingLongerThan.Enabled)
        {
            var threshold = age < criteria.MissingLongerThan.YoungerThanYears ? criteria.MissingLongerThan.YoungerMinorHours : criteria.MissingLongerThan.Hours;
            if (missingFor >= TimeSpan.FromHours(threshold))
                matched.Add(new(WorryingCriterion.MissingLongerThanThreshold, $"missing {(int)missingFor.TotalHours} h ≥ {threshold} h")
                    { Value = (int)missingFor.TotalHours, Threshold = threshold });
        }
        if (isRunaway && criteria.RepeatedEpisodes.Enabled)
        {
            var window = TimeSpan.FromDays(criteria.RepeatedEpisodes.WithinDays);
            var recent = state.Episodes.Count(e => e.LastSeenAt > now - window && e.LastSeenAt <= now);
            if (recent >= criteria.RepeatedEpisodes.Episodes)
                matched.Add(new(WorryingCriterion.RepeatedEpisodes, $"{recent} episodes within {criteria.RepeatedEpisodes.WithinDays} days")
                    { Value = recent, Threshold = criteria.RepeatedEpisodes.WithinDays });
        }
        return matched;
    }
}

/// <summary>What a command needs to re-evaluate an open episode: the policy in force and an id for a new alert.</summary>
public sealed record WorryingContext(WorryingCriteria Criteria, long PolicyVersion, Guid NewAlertId);
