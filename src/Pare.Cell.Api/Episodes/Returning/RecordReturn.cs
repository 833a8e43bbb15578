using FluentValidation;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Returning;

/// <summary>The minor is back: when, how, where they stayed, and the immediate health and safety check.</summary>
public sealed record RecordReturnRequest(DateTimeOffset? ReturnedAt, ReturnMode? How, string? WhereStayed, SafetyCheckInput? SafetyCheck)
    : EpisodeRequest, ICommand<EntryRecorded>
{
    /// <summary>The command, once validated: a worker's and a partner's return are the same fact.</summary>
    public RecordReturn ToCommand(Guid episodeId, Actor by, DateTimeOffset now)
    {
        var check = SafetyCheck!;
        return new RecordReturn(episodeId, ReturnedAt!.Value, How!.Value, WhereStayed,
            new SafetyCheck(check.Done!.Value, check.NeedsMedicalCare ?? false, check.DisclosedHarm ?? false, check.Notes), by, now);
    }
}

public sealed record SafetyCheckInput(bool? Done, bool? NeedsMedicalCare, bool? DisclosedHarm, string? Notes);

public sealed class RecordReturnValidator : AbstractValidator<RecordReturnRequest>
{
    public RecordReturnValidator(TimeProvider clock)
    {
        RuleFor(r => r.ReturnedAt).NotEmpty().NotInTheFuture(clock);
        RuleFor(r => r.How).NotEmpty().IsInEnum();
        RuleFor(r => r.WhereStayed).MaximumLength(2000);
        RuleFor(r => r.SafetyCheck).NotEmpty().ChildRules(check =>
        {
            check.RuleFor(c => c!.Done).NotNull();
            check.RuleFor(c => c!.Notes).MaximumLength(4000);
        });
    }
}

public sealed class RecordReturnHandler(CaseStreams cases) : ICommandHandler<RecordReturnRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(RecordReturnRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => r.ToCommand(r.EpisodeId, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
