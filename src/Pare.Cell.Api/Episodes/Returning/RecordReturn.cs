using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Returning;

/// <summary>The minor is back: when, how, where they stayed, and the immediate health and safety check.</summary>
public sealed record RecordReturnRequest(DateTimeOffset? ReturnedAt, ReturnMode? How, string? WhereStayed, SafetyCheckInput? SafetyCheck)
    : EpisodeRequest, ICommand<EntryRecorded>;

public sealed record SafetyCheckInput(bool? Done, bool? NeedsMedicalCare, bool? DisclosedHarm, string? Notes);

public sealed class RecordReturnValidator : AbstractValidator<RecordReturnRequest>
{
    public RecordReturnValidator(TimeProvider clock)
    {
        RuleFor(r => r.ReturnedAt).NotEmpty().NotInTheFuture(clock);
        RuleFor(r => r.How).NotEmpty().IsInEnum();
        RuleFor(r => r.WhereStayed).MaximumLength(2000);
        RuleFor(r => r.SafetyCheck).NotEmpty();
        RuleFor(r => r.SafetyCheck!.Done).NotNull().When(r => r.SafetyCheck is not null).OverridePropertyName("safetyCheck.done");
        RuleFor(r => r.SafetyCheck!.Notes).MaximumLength(4000).When(r => r.SafetyCheck is not null).OverridePropertyName("safetyCheck.notes");
    }
}

public sealed class RecordReturnHandler(CaseStreams cases) : ICommandHandler<RecordReturnRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(RecordReturnRequest r, CancellationToken cancellationToken)
    {
        var check = r.SafetyCheck!;
        var safety = new SafetyCheck(check.Done!.Value, check.NeedsMedicalCare ?? false, check.DisclosedHarm ?? false, check.Notes);
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new RecordReturn(r.EpisodeId, r.ReturnedAt!.Value, r.How!.Value, r.WhereStayed, safety, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
