using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Sightings;

/// <summary>Someone saw the minor while missing: where, who says so, when.</summary>
public sealed record ReportSightingRequest(DateTimeOffset? SeenAt, string? Place, string? Source, string? Details) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class ReportSightingValidator : AbstractValidator<ReportSightingRequest>
{
    public ReportSightingValidator(TimeProvider clock)
    {
        RuleFor(r => r.SeenAt).NotEmpty().NotInTheFuture(clock);
        RuleFor(r => r.Place).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Source).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Details).MaximumLength(4000);
    }
}

public sealed class ReportSightingHandler(CaseStreams cases) : ICommandHandler<ReportSightingRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(ReportSightingRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new ReportSighting(r.EpisodeId, r.Place!.Trim(), r.Source!.Trim(), r.Details, r.SeenAt!.Value, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
