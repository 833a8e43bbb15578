namespace Pare.Cell.Domain.Common;

/// <summary>Who recorded a fact: a cell member (token subject) or a partner's API client.</summary>
public sealed record Actor(string Id, ActorKind Kind)
{
    public static Actor Member(string userId) => new(userId, ActorKind.CellMember);
    public static Actor Partner(string clientId) => new(clientId, ActorKind.Partner);
    public static Actor System { get; } = new("system", ActorKind.System);
}

public enum ActorKind
{
    CellMember,
    Partner,
    System,
    /// <summary>The prosecutor's office, through an alert's signed acknowledgement link.</summary>
    Prosecutor,
}
