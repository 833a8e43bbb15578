namespace Pare.Cell.Domain.Policies;

/// <summary>
/// The cell's policy: which facts make a disappearance worrying (disparition inquiétante).
/// Each criterion can be switched off; thresholds are per cell. Defaults from DOMAIN.md.
/// </summary>
public sealed record WorryingCriteria(
    AgeThreshold YoungerThan,
    Switch RiskLevelAtRiskOrInSituation,
    Switch HealthNeedsOrMedication,
    Switch Disability,
    Switch SelfHarmRisk,
    Switch ThirdPartyInvolvement,
    Switch FirstKnownEpisode,
    Switch DangerDeclared,
    DurationThreshold MissingLongerThan,
    RepeatThreshold RepeatedEpisodes)
{
    public static WorryingCriteria Defaults { get; } = new(
        new AgeThreshold(true, 15),
        new Switch(true),
        new Switch(true),
        new Switch(true),
        new Switch(true),
        new Switch(true),
        new Switch(true),
        new Switch(true),
        new DurationThreshold(true, 48, 24, 13),
        new RepeatThreshold(true, 3, 30));
}

public sealed record Switch(bool Enabled);

public sealed record AgeThreshold(bool Enabled, int Years);

/// <param name="Hours">Missing longer than this is worrying.</param>
/// <param name="YoungerMinorHours">The shorter threshold for a minor younger than <paramref name="YoungerThanYears"/>.</param>
public sealed record DurationThreshold(bool Enabled, int Hours, int YoungerMinorHours, int YoungerThanYears);

public sealed record RepeatThreshold(bool Enabled, int Episodes, int WithinDays);

public enum WorryingCriterion
{
    YoungerThanThreshold,
    RiskLevel,
    HealthNeedsOrMedication,
    Disability,
    SelfHarmRisk,
    ThirdPartyInvolvement,
    FirstKnownEpisode,
    DangerDeclared,
    MissingLongerThanThreshold,
    RepeatedEpisodes,
    /// <summary>A worker judged it worrying, with a written reason.</summary>
    FlaggedByWorker,
}

/// <summary>One reason a disappearance is worrying, with the fact behind it ("age 13, under 15").</summary>
/// <param name="Detail">For people reading the record: a worker's written reason, or the fact in English.</param>
public sealed record MatchedCriterion(WorryingCriterion Criterion, string Detail)
{
    /// <summary>The <see cref="Detail"/> of an episode the reporter classified worrying (no reason is asked then).</summary>
    public const string ClassifiedAtReport = "classified worrying by the reporter";

    /// <summary>The measured fact, when the criterion has one: the age, the hours missing, the episodes counted.</summary>
    public int? Value { get; init; }

    /// <summary>The cell's threshold it was measured against: years, hours, days of the window.</summary>
    public int? Threshold { get; init; }
}
