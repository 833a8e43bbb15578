using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Assignment;

/// <summary>The service head (re)assigns the worker who follows the minor.</summary>
public sealed record AssignWorkerRequest(string? WorkerId, string? Reason) : CaseRequest, ICommand<CaseView>;

public sealed class AssignWorkerValidator : AbstractValidator<AssignWorkerRequest>
{
    public AssignWorkerValidator()
    {
        RuleFor(r => r.WorkerId).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Reason).MaximumLength(1000);
    }
}

public sealed class AssignWorkerHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<AssignWorkerRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(AssignWorkerRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new AssignWorker(r.WorkerId!.Trim(), r.Reason, by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
