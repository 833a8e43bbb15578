using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.WebConsole.Pages.Head;

/// <summary>
/// The cell's policy: which disappearances are worrying (and alert the prosecutor), and the reminders' delays.
/// Each form sends the API's own command with the policy version the page was read at (If-Match): a change made
/// meanwhile by someone else is shown, never overwritten. The alert routing (addresses, webhook) is shown only.
/// </summary>
[Authorize(Policy = AccessPolicies.PolicyEditor)]
public sealed class SettingsModel : ConsolePage
{
    [BindProperty(Name = "version")] public long? Version { get; set; }
    [BindProperty(Name = "switches")] public List<string> Switches { get; set; } = [];

    /// <summary>The numbers of both forms, by the name the API's validator reports (read from the posted form).</summary>
    public Dictionary<string, string?> Numbers { get; } = [];

    public CellPolicyView Policy { get; private set; } = null!;

    /// <summary>The criteria that are on or off, by the name the API's validator reports.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> SwitchNames =
    [
        ("youngerThan", "Âge sous le seuil"),
        ("riskLevelAtRiskOrInSituation", "Mineur·e évalué·e en risque ou en situation"),
        ("healthNeedsOrMedication", "Besoins de santé ou traitement"),
        ("disability", "Handicap"),
        ("selfHarmRisk", "Risque suicidaire ou d'automutilation"),
        ("thirdPartyInvolvement", "Implication d'un tiers ou signes d'exploitation"),
        ("firstKnownEpisode", "Première fugue connue"),
        ("dangerDeclared", "Danger déclaré"),
        ("missingLongerThan", "Disparition au-delà d'une durée"),
        ("repeatedEpisodes", "Fugues répétées"),
    ];

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["switches"] = "Une disparition est inquiétante quand…",
        ["youngerThan.years"] = "Âge en dessous duquel la disparition est inquiétante (ans)",
        ["missingLongerThan.hours"] = "Durée au-delà de laquelle elle l'est (heures)",
        ["missingLongerThan.youngerMinorHours"] = "Durée pour les plus jeunes (heures)",
        ["missingLongerThan.youngerThanYears"] = "Plus jeunes : moins de (ans)",
        ["repeatedEpisodes.episodes"] = "Fugues répétées : nombre de fugues",
        ["repeatedEpisodes.withinDays"] = "Fugues répétées : en (jours)",
        ["returnInterviewHours"] = "Entretien de retour dû sous (heures)",
        ["contactEveryHours"] = "Tenter un contact toutes les (heures) pendant une disparition",
        ["caseReviewEpisodes"] = "Point sur le dossier après (fugues)",
        ["caseReviewWithinDays"] = "… en (jours)",
        ["escalateOverdueAfterHours"] = "Rappel en retard signalé au chef de service après (heures)",
        ["referralFollowUpWorkingDays"] = "Relancer une orientation sans réponse après (jours ouvrés)",
    };

    public static readonly IReadOnlyList<string> CriteriaNumbers =
        ["youngerThan.years", "missingLongerThan.hours", "missingLongerThan.youngerMinorHours", "missingLongerThan.youngerThanYears", "repeatedEpisodes.episodes", "repeatedEpisodes.withinDays"];

    public static readonly IReadOnlyList<string> ReminderNumbers =
        ["returnInterviewHours", "contactEveryHours", "caseReviewEpisodes", "caseReviewWithinDays", "escalateOverdueAfterHours", "referralFollowUpWorkingDays"];

    public static readonly IReadOnlyDictionary<string, string> Confirmations = new Dictionary<string, string>
    {
        ["criteres"] = "Les critères de disparition inquiétante sont enregistrés.",
        ["rappels"] = "Les délais des rappels sont enregistrés.",
    };

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync(fill: true);
        return Page();
    }

    public Task<IActionResult> OnPostCriteresAsync()
    {
        Posted(CriteriaNumbers);
        return CommandAsync(
            ct => Mediator.Send(new UpdateWorryingCriteria(Criteria(), Version), ct),
            _ => new SeeOther("/app/reglages?ok=criteres"),
            Redisplay);
    }

    public async Task<IActionResult> OnPostRappelsAsync()
    {
        Posted(ReminderNumbers);
        var acknowledgement = (await Mediator.Send(new GetCellPolicy(), Aborted)).Reminders.AlertAcknowledgementMinutes;
        return await CommandAsync(
            ct => Mediator.Send(new UpdateReminderSettings(Reminders(acknowledgement), Version), ct),
            _ => new SeeOther("/app/reglages?ok=rappels"),
            Redisplay);
    }

    private void Posted(IEnumerable<string> keys)
    {
        foreach (var key in keys) Numbers[key] = Request.Form[key].ToString();
    }

    private async Task<IActionResult> Redisplay()
    {
        await LoadAsync(fill: false);
        return Page();
    }

    private async Task LoadAsync(bool fill)
    {
        Policy = await Mediator.Send(new GetCellPolicy(), Aborted);
        Version = Policy.Version; // a stale form is shown with the current state: sending it again is a decision
        var c = Policy.Criteria;
        var r = Policy.Reminders;
        var current = new Dictionary<string, int>
        {
            ["youngerThan.years"] = c.YoungerThan.Years,
            ["missingLongerThan.hours"] = c.MissingLongerThan.Hours,
            ["missingLongerThan.youngerMinorHours"] = c.MissingLongerThan.YoungerMinorHours,
            ["missingLongerThan.youngerThanYears"] = c.MissingLongerThan.YoungerThanYears,
            ["repeatedEpisodes.episodes"] = c.RepeatedEpisodes.Episodes,
            ["repeatedEpisodes.withinDays"] = c.RepeatedEpisodes.WithinDays,
            ["returnInterviewHours"] = r.ReturnInterviewHours,
            ["contactEveryHours"] = r.ContactEveryHours,
            ["caseReviewEpisodes"] = r.CaseReviewEpisodes,
            ["caseReviewWithinDays"] = r.CaseReviewWithinDays,
            ["escalateOverdueAfterHours"] = r.EscalateOverdueAfterHours,
            ["referralFollowUpWorkingDays"] = r.ReferralFollowUpWorkingDays,
        };
        // What was typed stays on a refused form; the rest shows the policy as it is now.
        foreach (var (key, value) in current)
            if (fill || !Numbers.ContainsKey(key)) Numbers[key] = value.ToString(CultureInfo.InvariantCulture);
        if (fill || Request.Query["handler"] != "criteres")
            Switches =
            [
                .. new (string, bool)[]
                {
                    ("youngerThan", c.YoungerThan.Enabled), ("riskLevelAtRiskOrInSituation", c.RiskLevelAtRiskOrInSituation.Enabled),
                    ("healthNeedsOrMedication", c.HealthNeedsOrMedication.Enabled), ("disability", c.Disability.Enabled), ("selfHarmRisk", c.SelfHarmRisk.Enabled),
                    ("thirdPartyInvolvement", c.ThirdPartyInvolvement.Enabled), ("firstKnownEpisode", c.FirstKnownEpisode.Enabled),
                    ("dangerDeclared", c.DangerDeclared.Enabled), ("missingLongerThan", c.MissingLongerThan.Enabled), ("repeatedEpisodes", c.RepeatedEpisodes.Enabled),
                }.Where(s => s.Item2).Select(s => s.Item1),
            ];
    }

    /// <summary>An unreadable number is sent as 0: the API's validator then names the field and its bounds.</summary>
    private int Number(string key) => int.TryParse(Numbers.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private bool On(string name) => Switches.Contains(name);

    private WorryingCriteria Criteria() => new(
        new AgeThreshold(On("youngerThan"), Number("youngerThan.years")),
        new Switch(On("riskLevelAtRiskOrInSituation")),
        new Switch(On("healthNeedsOrMedication")),
        new Switch(On("disability")),
        new Switch(On("selfHarmRisk")),
        new Switch(On("thirdPartyInvolvement")),
        new Switch(On("firstKnownEpisode")),
        new Switch(On("dangerDeclared")),
        new DurationThreshold(On("missingLongerThan"), Number("missingLongerThan.hours"), Number("missingLongerThan.youngerMinorHours"), Number("missingLongerThan.youngerThanYears")),
        new RepeatThreshold(On("repeatedEpisodes"), Number("repeatedEpisodes.episodes"), Number("repeatedEpisodes.withinDays")));

    /// <summary>The acknowledgement delay follows the alert routing, as on the API: kept as it is.</summary>
    private ReminderSettings Reminders(int acknowledgementMinutes) => new(
        Number("returnInterviewHours"), Number("contactEveryHours"), Number("caseReviewEpisodes"), Number("caseReviewWithinDays"),
        Number("escalateOverdueAfterHours"), acknowledgementMinutes, Number("referralFollowUpWorkingDays"));
}
