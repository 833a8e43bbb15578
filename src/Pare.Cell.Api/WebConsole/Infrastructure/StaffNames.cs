using Pare.Cell.Api.Staff;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>The cell's members by id, for pages that name who follows a case (the id when the directory does not know them yet).</summary>
public sealed class StaffNames(IReadOnlyList<StaffMember> members)
{
    private readonly Dictionary<string, StaffMember> _byId = members.ToDictionary(m => m.Id);

    public IReadOnlyList<StaffMember> Members => members;

    public string Of(string id) => _byId.TryGetValue(id, out var member) && member.Name.Length > 0 ? member.Name : id;

    public bool IsInactive(string id) => _byId.TryGetValue(id, out var member) && !member.Active;

    /// <summary>Who may be given a case: active workers and heads.</summary>
    public IEnumerable<StaffMember> Assignable =>
        members.Where(m => m.Active && (m.Roles.Contains(Api.Infrastructure.Auth.Roles.Worker) || m.Roles.Contains(Api.Infrastructure.Auth.Roles.Head))).OrderBy(m => m.Name, StringComparer.Create(Alerts.InFrench.Culture, true));
}
