using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Head;

/// <summary>
/// The cell's figures for the prosecutor's meeting: twelve months to the current one (or from <c>?debut=2026-01</c>),
/// each chart drawn on the server as SVG with its numbers in a table. The API's own figures (<see cref="GetFigures"/>
/// for the period and the referrals, <see cref="GetMonthlyFigures"/> month by month): no name, no date of birth.
/// </summary>
[Authorize(Policy = AccessPolicies.HeadOnly)]
public sealed class FiguresModel : ConsolePage
{
    public const int Months = 12;

    [FromQuery(Name = "debut")] public string? Start { get; set; }

    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public FiguresView Period { get; private set; } = null!;
    public IReadOnlyList<MonthFigures> ByMonth { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        From = DateOnly.TryParseExact(Start, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? start : new DateOnly(today.Year, today.Month, 1).AddMonths(1 - Months);
        To = From.AddMonths(Months);
        Period = await Mediator.Send(new GetFigures(From, To), Aborted);
        ByMonth = await Mediator.Send(new GetMonthlyFigures(From, Months), Aborted);
        return Page();
    }

    public static string Month(DateOnly month) => month.ToString("MMM", InFrench.Culture);

    public static string MonthAndYear(DateOnly month) => month.ToString("MMMM yyyy", InFrench.Culture);

    public static string Number(double? value, string unit = "") => value is { } v ? v.ToString("0.#", InFrench.Culture) + unit : "—";

    public string PreviousPeriod => From.AddMonths(-Months).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public string NextPeriod => From.AddMonths(Months).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public IReadOnlyList<Bar> Episodes => [.. ByMonth.Select(m => new Bar(Month(m.Month), m.Figures.Episodes, m.Figures.Episodes.ToString(InFrench.Culture)))];

    public IReadOnlyList<Bar> InterviewShare => [.. ByMonth.Select(m => new Bar(Month(m.Month), m.Figures.InterviewCompliancePercent, Number(m.Figures.InterviewCompliancePercent, " %")))];

    public IReadOnlyList<Bar> Delivery => [.. ByMonth.Select(m => new Bar(Month(m.Month), m.Figures.MedianSecondsToDelivery, Number(m.Figures.MedianSecondsToDelivery, " s")))];

    public IReadOnlyList<Bar> Acknowledgement => [.. ByMonth.Select(m => new Bar(Month(m.Month), m.Figures.MedianMinutesToAcknowledgement, Number(m.Figures.MedianMinutesToAcknowledgement, " min")))];

    public IReadOnlyList<Bar> Referrals => [.. Period.Referrals.Select(r => new Bar($"{Words.Of(r.PartnerType)} — {Words.Of(r.Status)}", r.Count, r.Count.ToString(InFrench.Culture)))];
}
