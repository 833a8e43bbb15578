namespace Pare.Cell.Domain.Cases;

/// <summary>
/// The minor's description sheet (fiche de signalement, Philomena-style): kept current before
/// any runaway so it can leave with a prosecutor alert in seconds. Replaced whole on each change;
/// every version stays in the stream.
/// </summary>
public sealed record MinorProfile(
    PhysicalDescription? Description,
    string? PhotoReference,
    IReadOnlyList<string> Phones,
    IReadOnlyList<SocialMediaHandle> SocialMedia,
    IReadOnlyList<Associate> Associates,
    IReadOnlyList<string> PlacesFrequented,
    HealthNeeds? Health)
{
    public static MinorProfile Empty { get; } = new(null, null, [], [], [], [], null);

    /// <summary>The names the minor goes by ("Lilou"): searched, weighed at opening against duplicates, and sent with an alert.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The minor's photo (its bytes are kept apart, per cell); a new photo is a new profile version.</summary>
    public ProfilePhoto? Photo { get; init; }
}

/// <summary>A photo as the profile names it: re-encoded at upload, every metadata removed.</summary>
public sealed record ProfilePhoto(Guid Id, int Width, int Height, DateTimeOffset UploadedAt);

public sealed record PhysicalDescription(int? HeightCm, string? Build, string? Hair, string? Eyes, string? DistinguishingMarks);

public sealed record SocialMediaHandle(string Platform, string Handle);

/// <param name="Phone">The associate's number when known: cases naming the same number are linked.</param>
public sealed record Associate(string Name, string Relationship, string? Note, string? Phone = null);

/// <summary>What the worrying-disappearance policy reads: needs that make a runaway dangerous.</summary>
public sealed record HealthNeeds(string? MedicalNeeds, bool TakesMedication, string? Disability, bool SelfHarmRisk);
