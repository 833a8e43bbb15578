using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Information;

/// <summary>New information during the episode (a destination hint, a message from a friend…).</summary>
public sealed record AddEpisodeInformationRequest(string? Information, DateTimeOffset? OccurredAt) : EpisodeRequest, ICommand<EntryRecorded>;

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
            (by, now) => new AddEpisodeInformation(r.EpisodeId, r.Information!.Trim(), r.OccurredAt ?? now, by, now), cancellationToken);
        return new EntryRecorded(r.CaseId, r.EpisodeId, written.Version);
    }
}
