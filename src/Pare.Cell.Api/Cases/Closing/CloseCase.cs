using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Closing;

/// <summary>The service head closes a case, with the reason; refused while the minor is missing.</summary>
public sealed record CloseCaseRequest(ClosureReason? Reason, string? Note) : CaseRequest, ICommand<CaseView>;

public sealed class CloseCaseValidator : AbstractValidator<CloseCaseRequest>
{
    public CloseCaseValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().IsInEnum();
        RuleFor(r => r.Note).MaximumLength(2000);
        RuleFor(r => r.Note).NotEmpty().When(r => r.Reason == ClosureReason.Other, "`reason` is `other`");
    }
}

public sealed class CloseCaseHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<CloseCaseRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(CloseCaseRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new CloseCase(r.Reason!.Value, r.Note, by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
