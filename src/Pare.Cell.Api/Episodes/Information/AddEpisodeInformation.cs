using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Information;

/// <summary>New information during the episode (a destination hint, a message from a friend…).</summary>
/// <param name="ThirdPartySuspected">The information suggests third-party involvement or exploitation.</param>
/// <param name="DangerDeclared">A worker declares a danger (weather, place).</param>
public sealed record AddEpisodeInformationRequest(string? Information, DateTimeOffset? OccurredAt, bool? ThirdPartySuspected, bool? DangerDeclared)
    : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class AddEpisodeInformationValidator : AbstractValidator<AddEpisodeInformationRequest>
{
    public AddEpisodeInformationValidator(TimeProvider clock)
    {
        RuleFor(r => r.Information).NotEmpty().MaximumLength(4000);
        RuleFor(r => r.OccurredAt).NotInTheFuture(clock);
    }
}

public sealed class AddEpisodeInformationHandler(CaseStreams cases) : ICommandHandler<AddEpisodeInformationRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(AddEpisodeInformationRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new AddEpisodeInformation(r.EpisodeId, r.Information!.Trim(),
                new ConcernSigns(r.ThirdPartySuspected ?? false, r.DangerDeclared ?? false), r.OccurredAt ?? now, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
