using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Closing;

/// <summary>The service head reopens a closed case, saying why.</summary>
public sealed record ReopenCaseRequest(string? Reason) : CaseRequest, ICommand<CaseView>;

public sealed class ReopenCaseValidator : AbstractValidator<ReopenCaseRequest>
{
    public ReopenCaseValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public sealed class ReopenCaseHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<ReopenCaseRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(ReopenCaseRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new ReopenCase(r.Reason!.Trim(), by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
