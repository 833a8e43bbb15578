namespace Pare.Cell.Domain.Cases;

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>
/// The state of one case, folded from its events. It is both what deciders decide on and the
/// inline snapshot the API reads, so a write costs one row read and a read costs one row.
/// </summary>
public sealed record Case
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required MinorIdentity Minor { get; init; }
    public required Placement Placement { get; init; }
    public required string AssignedWorkerId { get; init; }
    public required CaseStatus Status { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset LastActivityAt { get; init; }

    /// <summary>Stream version; set by the event store after each event, never by domain code.</summary>
    public long Version { get; set; }

    public static Case FromOpening(CaseOpened opened) => new()
    {
        Id = opened.CaseId,
        Reference = opened.Reference,
        Minor = opened.Minor,
        Placement = opened.Placement,
        AssignedWorkerId = opened.AssignedWorkerId,
        Status = CaseStatus.Open,
        OpenedAt = opened.Provenance.OccurredAt,
        LastActivityAt = opened.Provenance.RecordedAt,
    };

    public static Case? Evolve(Case? state, ICaseEvent @event) => @event switch
    {
        CaseOpened opened => FromOpening(opened),
        _ => state,
    };
}
