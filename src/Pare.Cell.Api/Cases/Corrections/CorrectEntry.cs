using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Corrections;

/// <summary>
/// Correct a mistaken entry, named by its version (from the timeline or the response that
/// recorded it). The original stays on the timeline next to the correction. A contact, a
/// sighting or a piece of information is withdrawn (record the right one anew); a runaway
/// report's last-seen time and place, or a return's time, are amended.
/// </summary>
public sealed record CorrectEntryRequest(long? CorrectsVersion, string? Reason, DateTimeOffset? LastSeenAt, string? LastSeenPlace, DateTimeOffset? ReturnedAt)
    : CaseRequest, ICommand<EntryRecorded>;

public sealed class CorrectEntryValidator : AbstractValidator<CorrectEntryRequest>
{
    public CorrectEntryValidator(TimeProvider clock)
    {
        RuleFor(r => r.CorrectsVersion).NotEmpty().GreaterThan(0);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.LastSeenAt).NotInTheFuture(clock);
        RuleFor(r => r.ReturnedAt).NotInTheFuture(clock);
        RuleFor(r => r.LastSeenPlace).NotEmpty().MaximumLength(200).WhenPresent(); // absent: unchanged; blank: refused
    }
}

public sealed class CorrectEntryHandler(CaseStreams cases) : ICommandHandler<CorrectEntryRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(CorrectEntryRequest r, CancellationToken cancellationToken)
    {
        var times = r.LastSeenAt is null && r.LastSeenPlace is null && r.ReturnedAt is null
            ? null
            : new EpisodeTimesCorrection(r.LastSeenAt, r.LastSeenPlace?.Trim(), r.ReturnedAt);
        var version = r.CorrectsVersion!.Value;
        var corrected = await cases.EventAtAsync(r.CaseId, version, cancellationToken);
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new CorrectEntry(version, corrected, r.Reason!.Trim(), times, by, now), cancellationToken);
        return EntryRecorded.Of(written, null);
    }
}
