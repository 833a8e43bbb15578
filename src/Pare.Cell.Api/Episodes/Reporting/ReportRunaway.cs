using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Reporting;

/// <summary>
/// The minor is missing: open an episode. Refused (409) while the minor is still missing (an
/// episode of the case without a return). The classification is the reporter's first judgement;
/// the cell's policy may raise it.
/// </summary>
public sealed record ReportRunawayRequest(
    DateTimeOffset? LastSeenAt,
    string? LastSeenPlace,
    string? ReportedBy,
    string? Circumstances,
    string? Clothing,
    string? Companions,
    string? DestinationHints,
    RunawayClassification? Classification,
    bool? ThirdPartySuspected,
    bool? DangerDeclared) : CaseRequest, ICommand<EntryRecorded>
{
    /// <summary>The command, once validated: a worker's and a partner's report are the same fact.</summary>
    public ReportRunaway ToCommand(Guid episodeId, Actor by, DateTimeOffset now) => new(
        episodeId, LastSeenAt!.Value, LastSeenPlace!.Trim(), ReportedBy!.Trim(), Circumstances, Clothing, Companions,
        DestinationHints, Classification!.Value, new ConcernSigns(ThirdPartySuspected ?? false, DangerDeclared ?? false), by, now);
}

public sealed class ReportRunawayValidator : AbstractValidator<ReportRunawayRequest>
{
    public ReportRunawayValidator(TimeProvider clock)
    {
        RuleFor(r => r.LastSeenAt).NotEmpty().NotInTheFuture(clock);
        RuleFor(r => r.LastSeenPlace).NotEmpty().MaximumLength(200);
        RuleFor(r => r.ReportedBy).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Circumstances).MaximumLength(4000);
        RuleFor(r => r.Clothing).MaximumLength(1000);
        RuleFor(r => r.Companions).MaximumLength(1000);
        RuleFor(r => r.DestinationHints).MaximumLength(2000);
        RuleFor(r => r.Classification).NotEmpty().IsInEnum();
    }
}

public sealed class ReportRunawayHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<ReportRunawayRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(ReportRunawayRequest r, CancellationToken cancellationToken)
    {
        var episodeId = Guid.CreateVersion7(clock.GetUtcNow());
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => r.ToCommand(episodeId, by, now), cancellationToken);
        return EntryRecorded.Of(written, episodeId);
    }
}
