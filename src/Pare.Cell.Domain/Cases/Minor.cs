namespace Pare.Cell.Domain.Cases;

/// <summary>The minor's civil identity as known when the case is opened.</summary>
public sealed record MinorIdentity(string FirstName, string LastName, DateOnly DateOfBirth)
{
    public const int AgeOfMajority = 18;

    public int AgeOn(DateOnly day)
    {
        var age = day.Year - DateOfBirth.Year;
        return DateOfBirth > day.AddYears(-age) ? age - 1 : age;
    }
}

/// <summary>Where the minor lives: the placement situation decides whom the cell calls first.</summary>
public sealed record Placement(PlacementKind Kind, string? Establishment = null);

public enum PlacementKind
{
    /// <summary>Lives with parents or legal guardians.</summary>
    AtHome,
    /// <summary>Placed by the child-welfare service (ASE) in an establishment (foyer, MECS).</summary>
    ChildWelfareEstablishment,
    /// <summary>Placed by the child-welfare service with a foster family (assistant familial).</summary>
    FosterFamily,
    /// <summary>Another arrangement (relative, independent living…), described in the establishment field.</summary>
    Other,
}
