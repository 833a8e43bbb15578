using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Episodes;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Assessments.Interviews;

/// <summary>A decision not to hold the return interview, with the reason (required).</summary>
public sealed record DeclineReturnInterviewRequest(string? Reason) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class DeclineReturnInterviewValidator : AbstractValidator<DeclineReturnInterviewRequest>
{
    public DeclineReturnInterviewValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public sealed class DeclineReturnInterviewHandler(CaseStreams cases) : ICommandHandler<DeclineReturnInterviewRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(DeclineReturnInterviewRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new DeclineReturnInterview(r.EpisodeId, r.Reason!.Trim(), by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
