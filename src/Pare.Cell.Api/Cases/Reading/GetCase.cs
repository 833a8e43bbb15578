using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Reading;

/// <summary>Read one case of the caller's cell; journaled. Another cell's case does not exist here.</summary>
public sealed record GetCase(Guid CaseId) : IQuery<CaseView?>;

public sealed class GetCaseHandler(JournaledCaseReads reads, CurrentUser user, TimeProvider clock, Links.CaseLinks links)
    : IQueryHandler<GetCase, CaseView?>
{
    public async ValueTask<CaseView?> Handle(GetCase query, CancellationToken cancellationToken) =>
        await reads.ReadAsync(user, query.CaseId, JournalActions.ReadCase, cancellationToken) is { } state
            ? CaseView.Of(state, clock.GetUtcNow()) with { Links = await links.OfAsync(state.Id, cancellationToken) }
            : null;
}

public static class ReadingEndpoint
{
    public static async Task<Results<Ok<CaseView>, NotFound>> Handle(Guid caseId, IMediator mediator, HttpContext http, CancellationToken cancellationToken)
    {
        var view = await mediator.Send(new GetCase(caseId), cancellationToken);
        if (view is null) return TypedResults.NotFound();
        ETags.Set(http, view.Version);
        return TypedResults.Ok(view);
    }
}
