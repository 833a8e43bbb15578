using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Contacts;

/// <summary>
/// A contact or an attempt (the outcome says which) with the minor, the family, peers or
/// professionals, during or after the episode; with the support offered to the family.
/// <c>occurredAt</c> defaults to now: a worker logs a 2 a.m. call at 8 a.m. by giving it.
/// </summary>
public sealed record LogContactRequest(
    ContactParty? With,
    ContactChannel? Channel,
    ContactOutcome? Outcome,
    DateTimeOffset? OccurredAt,
    string? Notes,
    string? SupportOfferedToFamily) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class LogContactValidator : AbstractValidator<LogContactRequest>
{
    public LogContactValidator(TimeProvider clock)
    {
        RuleFor(r => r.With).NotEmpty().IsInEnum();
        RuleFor(r => r.Channel).NotEmpty().IsInEnum();
        RuleFor(r => r.Outcome).NotEmpty().IsInEnum();
        RuleFor(r => r.OccurredAt).NotInTheFuture(clock);
        RuleFor(r => r.Notes).MaximumLength(4000);
        RuleFor(r => r.SupportOfferedToFamily).MaximumLength(2000);
    }
}

public sealed class LogContactHandler(CaseStreams cases) : ICommandHandler<LogContactRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(LogContactRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new LogContact(
            r.EpisodeId, r.With!.Value, r.Channel!.Value, r.Outcome!.Value, r.Notes, r.SupportOfferedToFamily, r.OccurredAt ?? now, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
