using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>The head records a case review (completes the repeated-runaways reminder).</summary>
public sealed record ReviewCaseRequest(string? Note) : CaseRequest, ICommand<EntryRecorded>;

public sealed class ReviewCaseValidator : AbstractValidator<ReviewCaseRequest>
{
    public ReviewCaseValidator() => RuleFor(r => r.Note).MaximumLength(4000);
}

public sealed class ReviewCaseHandler(CaseStreams cases) : ICommandHandler<ReviewCaseRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(ReviewCaseRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new ReviewCase(r.Note, by, now), cancellationToken);
        return EntryRecorded.Of(written, null);
    }
}
