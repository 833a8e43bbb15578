using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Staff;

/// <summary>The cell's staff directory: active members first. Cell members only; partners never see it.</summary>
public sealed record GetStaffDirectory : IQuery<IReadOnlyList<StaffMember>>;

public sealed class GetStaffDirectoryHandler(StaffDirectory directory, CurrentUser user) : IQueryHandler<GetStaffDirectory, IReadOnlyList<StaffMember>>
{
    public async ValueTask<IReadOnlyList<StaffMember>> Handle(GetStaffDirectory query, CancellationToken cancellationToken) =>
        await directory.ListAsync(user.CellId, cancellationToken);
}

/// <summary>The caller's own entry, with its version (the ETag a contact change sends back).</summary>
public sealed record GetMyStaffEntry : IQuery<StaffMember?>;

public sealed class GetMyStaffEntryHandler(StaffDirectory directory, CurrentUser user) : IQueryHandler<GetMyStaffEntry, StaffMember?>
{
    public async ValueTask<StaffMember?> Handle(GetMyStaffEntry query, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.CellId, user.UserId, cancellationToken);
}
