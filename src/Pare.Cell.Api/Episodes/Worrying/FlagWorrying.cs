using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Worrying;

/// <summary>A worker judges the disappearance worrying (reason required): the prosecutor is alerted at once.</summary>
public sealed record FlagWorryingRequest(string? Reason) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class FlagWorryingValidator : AbstractValidator<FlagWorryingRequest>
{
    public FlagWorryingValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public sealed class FlagWorryingHandler(CaseStreams cases) : ICommandHandler<FlagWorryingRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(FlagWorryingRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new FlagWorrying(r.EpisodeId, r.Reason!.Trim(), by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
