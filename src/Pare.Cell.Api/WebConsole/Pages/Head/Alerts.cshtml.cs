using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Head;

/// <summary>The prosecutor alerts with their delivery state and times, newest first (the API's <see cref="ListAlerts"/>), filtered by state.</summary>
[Authorize(Policy = AccessPolicies.HeadOnly)]
public sealed class AlertsModel : ConsolePage
{
    [FromQuery(Name = "etat")] public string? State { get; set; }

    public AlertStatus? Shown { get; private set; }
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];

    public static readonly IReadOnlyList<(string Value, string Label)> States = Choices.Of<AlertStatus>(s => Words.Of(s));

    public async Task<IActionResult> OnGetAsync()
    {
        Shown = Choices.Parse<AlertStatus>(State);
        Alerts = await Mediator.Send(new ListAlerts(Shown), Aborted);
        return Page();
    }

    public static string Delay(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } t ? (t - from).TotalSeconds < 120 ? $"{Math.Round((t - from).TotalSeconds)} s" : ParisTime.Duration((long)(t - from).TotalMinutes) : "—";

    public static string Badge(AlertStatus status) => status switch
    {
        AlertStatus.Acknowledged => "badge ok",
        AlertStatus.Delivered => "badge warn",
        _ => "badge danger",
    };
}
