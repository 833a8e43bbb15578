using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Cases;

/// <summary>An event of a case's stream. Every one says who recorded it and when.</summary>
public interface ICaseEvent
{
    Guid CaseId { get; }
    Provenance Provenance { get; }
}

public sealed record CaseOpened(
    Guid CaseId,
    string Reference,
    MinorIdentity Minor,
    Placement Placement,
    string AssignedWorkerId,
    Provenance Provenance) : ICaseEvent;
