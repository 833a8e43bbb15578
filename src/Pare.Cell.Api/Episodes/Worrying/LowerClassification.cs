using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Worrying;

/// <summary>
/// The service head lowers a worrying classification (reason required). The criteria the policy
/// matches at that moment no longer raise it; any other that comes to match later (a third party
/// suspected, declared danger, the duration passing) raises it again with a new alert, and a worker
/// can still flag it by hand.
/// </summary>
public sealed record LowerClassificationRequest(RunawayClassification? Classification, string? Reason) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class LowerClassificationValidator : AbstractValidator<LowerClassificationRequest>
{
    public LowerClassificationValidator()
    {
        RuleFor(r => r.Classification).NotEmpty().IsInEnum();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed class LowerClassificationHandler(CaseStreams cases) : ICommandHandler<LowerClassificationRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(LowerClassificationRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new LowerClassification(r.EpisodeId, r.Classification!.Value, r.Reason!.Trim(), by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
