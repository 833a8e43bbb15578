using FluentValidation;
using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation.Results;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Staff;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Staff;

namespace Pare.Cell.Api.OnCall;

/// <summary>
/// The head defines who is on call when, in Paris wall-clock time: a weekly pattern and exceptions
/// (which replace it while they last), and the office hours. Replaced whole; exceptions already over
/// are dropped. Everyone named must be an active member of the directory.
/// </summary>
public sealed record DefineRotaRequest(IReadOnlyList<WeeklyShiftInput>? Weekly, IReadOnlyList<RotaExceptionInput>? Exceptions, IReadOnlyList<OfficeDayInput>? OfficeHours)
    : ICommand<OnCallRota>
{
    /// <summary>The version read (If-Match; 0 before the first definition).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long ExpectedVersion { get; init; }
}

/// <param name="End">Not later than <paramref name="Start"/>: the shift ends the next day (18:00 → 09:00); equal: a whole day.</param>
public sealed record WeeklyShiftInput(DayOfWeek? Day, TimeOnly? Start, TimeOnly? End, string? StaffId);

/// <param name="From">Paris wall-clock time, without an offset: "2026-12-24T18:00:00".</param>
public sealed record RotaExceptionInput(DateTime? From, DateTime? To, string? StaffId);

public sealed record OfficeDayInput(DayOfWeek? Day, TimeOnly? Opens, TimeOnly? Closes);

public sealed class DefineRotaValidator : AbstractValidator<DefineRotaRequest>
{
    private static readonly Bilingual NotLocal = new(
        "Give Paris wall-clock time without an offset, such as 2026-12-24T18:00:00.",
        "Indiquez l'heure de Paris sans décalage, par exemple 2026-12-24T18:00:00.");

    public DefineRotaValidator()
    {
        RuleFor(r => r.Weekly).NotNull().MaximumCount(100);
        RuleForEach(r => r.Weekly).NotNull().ChildRules(shift =>
        {
            shift.RuleFor(s => s.Day).NotNull().IsInEnum();
            shift.RuleFor(s => s.Start).NotNull();
            shift.RuleFor(s => s.End).NotNull();
            shift.RuleFor(s => s.StaffId).NotEmpty().MaximumLength(200);
        });
        RuleFor(r => r.Exceptions).MaximumCount(200);
        RuleForEach(r => r.Exceptions).NotNull().ChildRules(exception =>
        {
            exception.RuleFor(e => e.From).NotNull().Must(t => t is null || t.Value.Kind == DateTimeKind.Unspecified).WithMessage(_ => NotLocal.ToString());
            exception.RuleFor(e => e.To).NotNull().Must(t => t is null || t.Value.Kind == DateTimeKind.Unspecified).WithMessage(_ => NotLocal.ToString())
                .Must((e, to) => e.From is null || to is null || to.Value - e.From.Value <= TimeSpan.FromDays(62)).WithMessage("62 days at most.");
            exception.RuleFor(e => e.StaffId).NotEmpty().MaximumLength(200);
        });
        RuleFor(r => r.OfficeHours).MaximumCount(21);
        RuleForEach(r => r.OfficeHours).NotNull().ChildRules(day =>
        {
            day.RuleFor(d => d.Day).NotNull().IsInEnum();
            day.RuleFor(d => d.Opens).NotNull();
            day.RuleFor(d => d.Closes).NotNull();
        });
    }
}

public sealed class DefineRotaHandler(CellStreams streams, StaffDirectory directory, CurrentUser user) : ICommandHandler<DefineRotaRequest, OnCallRota>
{
    private static readonly Bilingual NotReachable = new(
        "Nobody active in the staff directory has this id: whoever is on call must have signed in and not be deactivated.",
        "Personne d'actif dans l'annuaire n'a cet identifiant : la personne d'astreinte doit s'être connectée et ne pas être désactivée.");

    public async ValueTask<OnCallRota> Handle(DefineRotaRequest r, CancellationToken cancellationToken)
    {
        var weekly = r.Weekly!.Select(s => new WeeklyShift(s.Day!.Value, s.Start!.Value, s.End!.Value, s.StaffId!.Trim())).ToList();
        var exceptions = (r.Exceptions ?? []).Select(e => new RotaException(e.From!.Value, e.To!.Value, e.StaffId!.Trim())).ToList();
        var officeHours = r.OfficeHours?.Select(d => new OfficeDay(d.Day!.Value, d.Opens!.Value, d.Closes!.Value)).ToList();

        var staff = await directory.ListAsync(user.CellId, cancellationToken);
        var active = staff.Where(m => m.Active).Select(m => m.Id).ToHashSet();
        var unknown = weekly.Select((s, i) => (s.StaffId, Field: $"weekly[{i}].staffId"))
            .Concat(exceptions.Select((e, i) => (e.StaffId, Field: $"exceptions[{i}].staffId")))
            .Where(x => !active.Contains(x.StaffId)).Select(x => new ValidationFailure(x.Field, NotReachable.ToString())).ToList();
        if (unknown.Count > 0) throw new ValidationException(unknown);

        return await streams.AppendAsync<OnCallRota>(OnCallRota.StreamId, r.ExpectedVersion,
            provenance => RotaDecider.Decide(new DefineRota(weekly, exceptions, officeHours, provenance.RecordedBy, provenance.RecordedAt)),
            OnCallRota.Evolve, cancellationToken);
    }
}
