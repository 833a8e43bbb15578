using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.History;

/// <summary>
/// A runaway from before the cell knew the minor, entered with its start and end at once ("she ran
/// away three times last month"). It counts in the case's facts (episodes in 30 days, time
/// missing, the 3-in-30 review) and shows on the timeline as recorded after the fact; it raises no
/// alert, no found notice, no contact reminder and owes no return interview. Corrected like any
/// entry: its times amended, or withdrawn whole.
/// </summary>
/// <param name="Source">Who or what told the cell (a foster home's log, the ASE file).</param>
public sealed record RecordPastEpisodeRequest(
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? ReturnedAt,
    string? LastSeenPlace,
    RunawayClassification? Classification,
    ReturnMode? How,
    string? Source,
    string? Notes) : CaseRequest, ICommand<EntryRecorded>;

public sealed class RecordPastEpisodeValidator : AbstractValidator<RecordPastEpisodeRequest>
{
    private static readonly Bilingual InTheFuture = new("This time is in the future.", "Cette heure est dans le futur.");
    private static readonly Bilingual TooOld = new("A past episode is dated within the last 18 years.", "Un épisode passé date de moins de 18 ans.");
    private static readonly Bilingual BeforeLastSeen = new("The return cannot be earlier than the last-seen time.",
        "Le retour ne peut pas précéder l'heure à laquelle le ou la mineur·e a été vu·e pour la dernière fois.");

    public RecordPastEpisodeValidator(TimeProvider clock)
    {
        RuleFor(r => r.LastSeenAt).NotEmpty().Must(t => t is null || t <= clock.GetUtcNow()).WithMessage(_ => InTheFuture.ToString())
            .Must(t => t is null || t >= clock.GetUtcNow().AddYears(-18)).WithMessage(_ => TooOld.ToString());
        RuleFor(r => r.ReturnedAt).NotEmpty().Must(t => t is null || t <= clock.GetUtcNow()).WithMessage(_ => InTheFuture.ToString())
            .Must((r, t) => t is null || r.LastSeenAt is null || t >= r.LastSeenAt).WithMessage(_ => BeforeLastSeen.ToString());
        RuleFor(r => r.LastSeenPlace).NotEmpty().MaximumLength(200).WhenPresent();
        RuleFor(r => r.Classification).IsInEnum();
        RuleFor(r => r.How).IsInEnum();
        RuleFor(r => r.Source).MaximumLength(200);
        RuleFor(r => r.Notes).MaximumLength(4000);
    }
}

public sealed class RecordPastEpisodeHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<RecordPastEpisodeRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(RecordPastEpisodeRequest r, CancellationToken cancellationToken)
    {
        var episodeId = Guid.CreateVersion7(clock.GetUtcNow());
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new RecordPastEpisode(
            episodeId, r.LastSeenAt!.Value, r.ReturnedAt!.Value, r.LastSeenPlace?.Trim(), r.Classification ?? RunawayClassification.Runaway,
            r.How, r.Source?.Trim(), r.Notes, by, now), cancellationToken);
        return EntryRecorded.Of(written, episodeId);
    }
}
