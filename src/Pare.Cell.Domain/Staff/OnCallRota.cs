using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Staff;

/// <summary>
/// Who is on call (astreinte) when, as a head defines it, in Paris wall-clock time: a weekly
/// pattern, and exceptions that replace it for a while (a holiday, a swap). Also the cell's office
/// hours: outside them, reminders about a missing minor reach the person on call too.
/// One stream per cell; each definition replaces the previous one whole.
/// </summary>
public sealed record OnCallRota : IVersioned
{
    /// <summary>Every cell's rota stream has this id; the cell (tenant) tells them apart.</summary>
    public static readonly Guid StreamId = Guid.Parse("00000000-0000-7000-8000-0000000ca111");

    public Guid Id { get; init; } = StreamId;
    public IReadOnlyList<WeeklyShift> Weekly { get; init; } = [];
    public IReadOnlyList<RotaException> Exceptions { get; init; } = [];
    public IReadOnlyList<OfficeDay> OfficeHours { get; init; } = DefaultOfficeHours;
    public long Version { get; set; }

    /// <summary>Monday to Friday, 9:00 to 18:00, until the cell says otherwise.</summary>
    public static IReadOnlyList<OfficeDay> DefaultOfficeHours { get; } =
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new OfficeDay(d, new TimeOnly(9, 0), new TimeOnly(18, 0)))];

    public static OnCallRota Evolve(OnCallRota? state, object @event) => @event switch
    {
        OnCallRotaDefined e => (state ?? new OnCallRota()) with { Weekly = e.Weekly, Exceptions = e.Exceptions, OfficeHours = e.OfficeHours },
        _ => state ?? new OnCallRota(),
    };

    /// <summary>Whether the office is open at this instant (Paris time). Outside: the person on call answers.</summary>
    public bool OfficeIsOpen(DateTimeOffset instant)
    {
        var local = CellTime.ToLocal(instant);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return OfficeHours.Any(d => d.Day == local.DayOfWeek && time >= d.Opens && time < d.Closes);
    }
}

/// <summary>Every week, from <see cref="Start"/> on <see cref="Day"/>, until <see cref="End"/>: the next day when it is not later (18:00 → 09:00), a whole day when equal.</summary>
public sealed record WeeklyShift(DayOfWeek Day, TimeOnly Start, TimeOnly End, string StaffId);

/// <summary>From one Paris wall-clock time to another, someone replaces whoever the weekly pattern names.</summary>
public sealed record RotaException(DateTime From, DateTime To, string StaffId);

/// <summary>The office is open on <see cref="Day"/> from <see cref="Opens"/> to <see cref="Closes"/> (Paris time).</summary>
public sealed record OfficeDay(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

public sealed record OnCallRotaDefined(IReadOnlyList<WeeklyShift> Weekly, IReadOnlyList<RotaException> Exceptions, IReadOnlyList<OfficeDay> OfficeHours, Provenance Provenance);

public sealed record DefineRota(IReadOnlyList<WeeklyShift> Weekly, IReadOnlyList<RotaException> Exceptions, IReadOnlyList<OfficeDay>? OfficeHours, Actor By, DateTimeOffset Now);

/// <summary>One person on call, from one instant to another.</summary>
public sealed record OnCallShift(string StaffId, DateTimeOffset From, DateTimeOffset Until);

/// <summary>A stretch of time nobody reachable is on call.</summary>
public sealed record OnCallGap(DateTimeOffset From, DateTimeOffset Until);

/// <summary>
/// Decides a new rota: shifts of the weekly pattern may not overlap, nor exceptions each other (one
/// person on call at a time); exceptions already over are dropped, so the rota does not grow forever.
/// </summary>
public static class RotaDecider
{
    public static OnCallRotaDefined Decide(DefineRota c)
    {
        var week = c.Weekly.Select((s, i) => (Index: i, Minutes: WeekMinutes(s))).ToList();
        foreach (var (a, b) in Pairs(week.Count))
            if (Overlap(week[a].Minutes, week[b].Minutes)) throw new RefusedException(RotaRefusals.OverlappingShifts($"weekly[{b}]"));
        for (var i = 0; i < c.Exceptions.Count; i++)
            if (c.Exceptions[i].To <= c.Exceptions[i].From) throw new RefusedException(RotaRefusals.EndsBeforeItStarts($"exceptions[{i}].to"));
        foreach (var (a, b) in Pairs(c.Exceptions.Count))
            if (c.Exceptions[a].From < c.Exceptions[b].To && c.Exceptions[b].From < c.Exceptions[a].To)
                throw new RefusedException(RotaRefusals.OverlappingShifts($"exceptions[{b}]"));
        for (var i = 0; i < (c.OfficeHours?.Count ?? 0); i++)
            if (c.OfficeHours![i].Closes <= c.OfficeHours[i].Opens) throw new RefusedException(RotaRefusals.EndsBeforeItStarts($"officeHours[{i}].closes"));
        var current = c.Exceptions.Where(e => CellTime.ToInstant(e.To) > c.Now).ToList();
        return new OnCallRotaDefined(c.Weekly, current, c.OfficeHours ?? OnCallRota.DefaultOfficeHours, Provenance.Now(c.By, c.Now));
    }

    private static IEnumerable<(int, int)> Pairs(int count) =>
        Enumerable.Range(0, count).SelectMany(b => Enumerable.Range(0, b).Select(a => (a, b)));

    /// <summary>Minutes since Monday 00:00 of the week's pattern, the end past the start (a week is 10,080 minutes).</summary>
    private static (int Start, int End) WeekMinutes(WeeklyShift s)
    {
        var day = ((int)s.Day + 6) % 7 * 1440;
        var start = day + s.Start.Hour * 60 + s.Start.Minute;
        var length = (s.End.Hour * 60 + s.End.Minute) - (s.Start.Hour * 60 + s.Start.Minute);
        return (start, start + (length <= 0 ? length + 1440 : length));
    }

    /// <summary>On the weekly circle: compared also a week apart, so Sunday night meets Monday morning.</summary>
    private static bool Overlap((int Start, int End) a, (int Start, int End) b) =>
        new[] { -10080, 0, 10080 }.Any(shift => a.Start < b.End + shift && b.Start + shift < a.End);
}

/// <summary>
/// Who is on call, as instants: the weekly pattern laid on the calendar in Paris time (so a night
/// shift is 15 hours on the night clocks go back, 13 on the night they go forward), exceptions over
/// it, consecutive shifts of one person merged. Pure.
/// </summary>
public static class OnCallSchedule
{
    /// <param name="reachable">Whether a person can be called (deactivated people cannot): their shifts are gaps.</param>
    public static IReadOnlyList<OnCallShift> Between(OnCallRota rota, DateTimeOffset from, DateTimeOffset until, Func<string, bool> reachable)
    {
        var periods = new List<(DateTimeOffset From, DateTimeOffset Until, string StaffId, int Rank)>();
        foreach (var e in rota.Exceptions)
            periods.Add((CellTime.ToInstant(e.From), CellTime.ToInstant(e.To), e.StaffId, 0));
        var first = DateOnly.FromDateTime(CellTime.ToLocal(from).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(CellTime.ToLocal(until).DateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
            foreach (var shift in rota.Weekly.Where(s => s.Day == day.DayOfWeek))
            {
                var endDay = shift.End <= shift.Start ? day.AddDays(1) : day;
                periods.Add((CellTime.ToInstant(day.ToDateTime(shift.Start)), CellTime.ToInstant(endDay.ToDateTime(shift.End)), shift.StaffId, 1));
            }

        var cuts = periods.SelectMany(p => new[] { p.From, p.Until }).Where(t => t > from && t < until)
            .Append(from).Append(until).Distinct().Order().ToList();
        var shifts = new List<OnCallShift>();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var (start, end) = (cuts[i], cuts[i + 1]);
            var covering = periods.Where(p => p.From <= start && p.Until > start).OrderBy(p => p.Rank).Select(p => p.StaffId).FirstOrDefault();
            if (covering is null || !reachable(covering)) continue;
            if (shifts.Count > 0 && shifts[^1].StaffId == covering && shifts[^1].Until == start) shifts[^1] = shifts[^1] with { Until = end };
            else shifts.Add(new OnCallShift(covering, start, end));
        }
        return shifts;
    }

    /// <summary>Who is on call at this instant, if anyone reachable.</summary>
    public static string? At(OnCallRota rota, DateTimeOffset instant, Func<string, bool> reachable) =>
        Between(rota, instant, instant.AddTicks(1), reachable) is [var shift, ..] ? shift.StaffId : null;

    /// <summary>
    /// Who, on call, also holds a reminder about a missing minor: the person on call when it must be
    /// acted on — when it falls due, or now once it is overdue — if that is outside office hours (in
    /// office hours the case's worker is there). Null when the office is open then, or nobody reachable is on call.
    /// </summary>
    public static string? HolderOfMissingMinorReminder(OnCallRota rota, DateTimeOffset dueAt, DateTimeOffset now, Func<string, bool> reachable)
    {
        var actOn = dueAt > now ? dueAt : now;
        return rota.OfficeIsOpen(actOn) ? null : At(rota, actOn, reachable);
    }

    /// <summary>The stretches of [from, until) nobody reachable covers.</summary>
    public static IReadOnlyList<OnCallGap> Gaps(IReadOnlyList<OnCallShift> shifts, DateTimeOffset from, DateTimeOffset until)
    {
        var gaps = new List<OnCallGap>();
        var cursor = from;
        foreach (var shift in shifts.Where(s => s.Until > from && s.From < until).OrderBy(s => s.From))
        {
            if (shift.From > cursor) gaps.Add(new OnCallGap(cursor, shift.From));
            if (shift.Until > cursor) cursor = shift.Until;
        }
        if (cursor < until) gaps.Add(new OnCallGap(cursor, until));
        return gaps;
    }
}

public static class RotaRefusals
{
    public static Refusal OverlappingShifts(string field) => new("on-call-overlap",
        new("Two people would be on call at once: shifts may not overlap.", "Deux personnes seraient d'astreinte en même temps : les périodes ne doivent pas se chevaucher."),
        RefusalKind.Invalid, field);

    public static Refusal EndsBeforeItStarts(string field) => new("ends-before-it-starts",
        new("This period ends before it starts.", "Cette période se termine avant de commencer."), RefusalKind.Invalid, field);
}
