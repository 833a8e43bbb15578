using Marten;
using Mediator;

namespace Pare.Cell.Api.Policies;

public sealed record GetCellPolicy : IQuery<CellPolicyView>;

public sealed class GetCellPolicyHandler(IQuerySession session) : IQueryHandler<GetCellPolicy, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(GetCellPolicy query, CancellationToken cancellationToken) =>
        CellPolicyView.Of(await CellPolicies.LoadAsync(session, cancellationToken));
}
