using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases;

/// <summary>A case as the API shows it to the cell's workers and head.</summary>
public sealed record CaseView(
    Guid Id,
    string Reference,
    MinorView Minor,
    Placement Placement,
    string AssignedWorkerId,
    CaseStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastActivityAt,
    long Version)
{
    public static CaseView Of(Case state, DateOnly today) => new(
        state.Id,
        state.Reference,
        new MinorView(state.Minor.FirstName, state.Minor.LastName, state.Minor.DateOfBirth, state.Minor.AgeOn(today)),
        state.Placement,
        state.AssignedWorkerId,
        state.Status,
        state.OpenedAt,
        state.LastActivityAt,
        state.Version);
}

public sealed record MinorView(string FirstName, string LastName, DateOnly DateOfBirth, int Age);
