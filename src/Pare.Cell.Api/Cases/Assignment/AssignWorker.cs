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

public sealed class AssignWorkerHandler(CaseStreams cases, TimeProvider clock, Staff.StaffDirectory directory, Infrastructure.Auth.CurrentUser user)
    : ICommandHandler<AssignWorkerRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(AssignWorkerRequest r, CancellationToken cancellationToken)
    {
        // Someone the directory does not know yet (never signed in) may be assigned; someone who left may not.
        if (await directory.FindAsync(user.CellId, r.WorkerId!.Trim(), cancellationToken) is { Active: false })
            throw new Domain.Common.RefusedException(Staff.StaffRefusals.Deactivated);
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new AssignWorker(r.WorkerId!.Trim(), r.Reason, by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
