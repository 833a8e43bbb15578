using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Staff;

namespace Pare.Cell.Domain.Tests.Staff;

/// <summary>The rota in Paris wall-clock time, laid on instants: clock changes, exceptions, people who cannot be called.</summary>
public sealed class OnCallScheduleTests
{
    private static readonly Actor Head = Actor.Member("head-1");

    /// <summary>Paul by day (9:00–18:00), Marie by night (18:00–9:00), every day of the week.</summary>
    private static OnCallRota DayAndNight(params RotaException[] exceptions) => new()
    {
        Weekly = [.. Enum.GetValues<DayOfWeek>().SelectMany(d => new[]
        {
            new WeeklyShift(d, new TimeOnly(9, 0), new TimeOnly(18, 0), "paul"),
            new WeeklyShift(d, new TimeOnly(18, 0), new TimeOnly(9, 0), "marie"),
        })],
        Exceptions = exceptions,
    };

    private static bool Everyone(string _) => true;

    [Fact]
    public void The_night_the_clocks_go_back_the_night_shift_lasts_16_hours_and_meets_both_day_shifts()
    {
        // Saturday 24 October 2026, 18:00 CEST (UTC+2) to Sunday 25 October, 9:00 CET (UTC+1).
        var shifts = OnCallSchedule.Between(DayAndNight(), new(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 12, 0, 0, TimeSpan.Zero), Everyone);

        shifts.Select(s => (s.StaffId, s.From, s.Until)).ShouldBe(
        [
            ("paul", new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 24, 16, 0, 0, TimeSpan.Zero)),
            ("marie", new DateTimeOffset(2026, 10, 24, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.Zero)),
            ("paul", new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero)),
        ]);
        (shifts[1].Until - shifts[1].From).ShouldBe(TimeSpan.FromHours(16));
    }

    [Fact]
    public void The_night_the_clocks_go_forward_the_night_shift_lasts_14_hours_and_no_hour_is_left_uncovered()
    {
        var from = new DateTimeOffset(2026, 3, 23, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero);
        var shifts = OnCallSchedule.Between(DayAndNight(), from, until, Everyone);

        var night = shifts.Single(s => s.From == new DateTimeOffset(2026, 3, 28, 17, 0, 0, TimeSpan.Zero)); // 18:00 CET
        night.Until.ShouldBe(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero)); // 9:00 CEST
        OnCallSchedule.Gaps(shifts, from, until).ShouldBeEmpty();
        shifts.Zip(shifts.Skip(1)).ShouldAllBe(p => p.First.Until == p.Second.From && p.First.StaffId != p.Second.StaffId);
    }

    [Fact]
    public void A_wall_clock_time_skipped_or_repeated_by_a_clock_change_names_one_instant()
    {
        CellTime.ToInstant(new DateTime(2026, 3, 29, 2, 30, 0)).ShouldBe(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero)); // read as 3:30 CEST
        CellTime.ToInstant(new DateTime(2026, 10, 25, 2, 30, 0)).ShouldBe(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)); // its first occurrence
        CellTime.ToInstant(new DateTime(2026, 7, 14, 9, 0, 0)).ShouldBe(new DateTimeOffset(2026, 7, 14, 7, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void An_exception_replaces_the_weekly_pattern_while_it_lasts()
    {
        var christmasEve = new RotaException(new DateTime(2026, 12, 24, 12, 0, 0), new DateTime(2026, 12, 25, 12, 0, 0), "lea");
        var rota = DayAndNight(christmasEve);

        OnCallSchedule.At(rota, new DateTimeOffset(2026, 12, 24, 10, 0, 0, TimeSpan.Zero), Everyone).ShouldBe("paul"); // 11:00 Paris
        OnCallSchedule.At(rota, new DateTimeOffset(2026, 12, 24, 11, 0, 0, TimeSpan.Zero), Everyone).ShouldBe("lea"); // 12:00 Paris
        OnCallSchedule.At(rota, new DateTimeOffset(2026, 12, 25, 10, 59, 0, TimeSpan.Zero), Everyone).ShouldBe("lea");
        OnCallSchedule.At(rota, new DateTimeOffset(2026, 12, 25, 11, 0, 0, TimeSpan.Zero), Everyone).ShouldBe("paul");
    }

    [Fact]
    public void Someone_who_cannot_be_called_leaves_a_gap_even_where_an_exception_names_them()
    {
        var rota = DayAndNight(new RotaException(new DateTime(2026, 12, 24, 12, 0, 0), new DateTime(2026, 12, 24, 20, 0, 0), "lea"));
        var from = new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero);
        var until = from.AddDays(1);

        var gaps = OnCallSchedule.Gaps(OnCallSchedule.Between(rota, from, until, id => id != "lea"), from, until);

        gaps.ShouldBe([new OnCallGap(new DateTimeOffset(2026, 12, 24, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 24, 19, 0, 0, TimeSpan.Zero))]);
    }

    [Fact]
    public void Shifts_that_overlap_are_refused_naming_the_later_one_Sunday_night_against_Monday_morning_too()
    {
        var sunday = new WeeklyShift(DayOfWeek.Sunday, new TimeOnly(18, 0), new TimeOnly(10, 0), "marie");
        var monday = new WeeklyShift(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(18, 0), "paul");
        var refused = Should.Throw<RefusedException>(() => RotaDecider.Decide(new DefineRota([monday, sunday], [], null, Head, DateTimeOffset.UnixEpoch)));
        refused.Refusal.Field.ShouldBe("weekly[1]");

        RotaDecider.Decide(new DefineRota([monday, sunday with { End = new TimeOnly(9, 0) }], [], null, Head, DateTimeOffset.UnixEpoch)).Weekly.Count.ShouldBe(2);
    }

    [Fact]
    public void Exceptions_already_over_are_dropped_and_the_office_hours_default_to_weekdays_9_to_18()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var past = new RotaException(new DateTime(2026, 11, 1, 9, 0, 0), new DateTime(2026, 11, 2, 9, 0, 0), "lea");
        var coming = new RotaException(new DateTime(2026, 12, 24, 9, 0, 0), new DateTime(2026, 12, 26, 9, 0, 0), "lea");

        var defined = RotaDecider.Decide(new DefineRota([], [past, coming], null, Head, now));

        defined.Exceptions.ShouldBe([coming]);
        var rota = OnCallRota.Evolve(null, defined);
        rota.OfficeIsOpen(new DateTimeOffset(2026, 7, 13, 7, 0, 0, TimeSpan.Zero)).ShouldBeTrue(); // Monday 9:00 CEST
        rota.OfficeIsOpen(new DateTimeOffset(2026, 7, 13, 6, 59, 0, TimeSpan.Zero)).ShouldBeFalse();
        rota.OfficeIsOpen(new DateTimeOffset(2026, 12, 14, 16, 59, 0, TimeSpan.Zero)).ShouldBeTrue(); // Monday 17:59 CET
        rota.OfficeIsOpen(new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.Zero)).ShouldBeFalse(); // Saturday
    }

    [Fact]
    public void A_missing_minor_reminder_falling_due_outside_office_hours_is_held_by_whoever_is_on_call_then()
    {
        var rota = DayAndNight() with { OfficeHours = OnCallRota.DefaultOfficeHours };
        var now = new DateTimeOffset(2026, 12, 14, 10, 0, 0, TimeSpan.Zero); // Monday 11:00 CET, office open

        // Due Monday 22:00 CET: Marie is on call then.
        OnCallSchedule.HolderOfMissingMinorReminder(rota, new(2026, 12, 14, 21, 0, 0, TimeSpan.Zero), now, Everyone).ShouldBe("marie");
        // Due Monday 15:00 CET: the office is open, the worker is there.
        OnCallSchedule.HolderOfMissingMinorReminder(rota, new(2026, 12, 14, 14, 0, 0, TimeSpan.Zero), now, Everyone).ShouldBeNull();
        // Due Saturday 15:00 CET: the office is closed, Paul is on call by day.
        OnCallSchedule.HolderOfMissingMinorReminder(rota, new(2026, 12, 19, 14, 0, 0, TimeSpan.Zero), now, Everyone).ShouldBe("paul");
        // Marie cannot be called: nobody holds it but the worker.
        OnCallSchedule.HolderOfMissingMinorReminder(rota, new(2026, 12, 14, 21, 0, 0, TimeSpan.Zero), now, id => id != "marie").ShouldBeNull();
    }

    [Fact]
    public void An_overdue_missing_minor_reminder_is_held_by_whoever_is_on_call_now_outside_office_hours()
    {
        var rota = DayAndNight() with { OfficeHours = OnCallRota.DefaultOfficeHours };
        var dueAt = new DateTimeOffset(2026, 12, 14, 14, 0, 0, TimeSpan.Zero); // Monday 15:00 CET, in office hours

        OnCallSchedule.HolderOfMissingMinorReminder(rota, dueAt, new(2026, 12, 14, 16, 0, 0, TimeSpan.Zero), Everyone).ShouldBeNull(); // 17:00
        OnCallSchedule.HolderOfMissingMinorReminder(rota, dueAt, new(2026, 12, 14, 19, 0, 0, TimeSpan.Zero), Everyone).ShouldBe("marie"); // 20:00
        OnCallSchedule.HolderOfMissingMinorReminder(rota, dueAt, new(2026, 12, 15, 8, 30, 0, TimeSpan.Zero), Everyone).ShouldBeNull(); // Tuesday 9:30
    }

    /// <summary>Office hours are Paris wall-clock hours: 18:30 is after closing in summer and in winter alike.</summary>
    [Fact]
    public void Office_hours_follow_the_Paris_clock_across_the_October_change()
    {
        var rota = DayAndNight() with { OfficeHours = OnCallRota.DefaultOfficeHours };
        var friday = new DateTimeOffset(2026, 10, 23, 16, 30, 0, TimeSpan.Zero);  // Friday 18:30 CEST
        var monday = new DateTimeOffset(2026, 10, 26, 17, 30, 0, TimeSpan.Zero);  // Monday 18:30 CET
        var mondayDay = new DateTimeOffset(2026, 10, 26, 16, 30, 0, TimeSpan.Zero); // Monday 17:30 CET

        OnCallSchedule.HolderOfMissingMinorReminder(rota, friday, friday.AddDays(-1), Everyone).ShouldBe("marie");
        OnCallSchedule.HolderOfMissingMinorReminder(rota, monday, friday, Everyone).ShouldBe("marie");
        OnCallSchedule.HolderOfMissingMinorReminder(rota, mondayDay, friday, Everyone).ShouldBeNull();
    }
}
