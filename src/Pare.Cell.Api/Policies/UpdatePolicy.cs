using FluentValidation;
using JasperFx;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Policies;

/// <summary>The policy as shown: criteria, routing (webhook secret never shown), version for If-Match.</summary>
public sealed record CellPolicyView(WorryingCriteria Criteria, AlertRoutingView Routing, ReminderSettings Reminders, long Version)
{
    public static CellPolicyView Of(CellPolicy policy) => new(policy.Criteria, AlertRoutingView.Of(policy.Routing), policy.EffectiveReminders, policy.Version);
}

public sealed record AlertRoutingView(string? ProsecutorEmail, OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, bool HasWebhookSecret,
    int DeliveryDeadlineMinutes, int AcknowledgementDeadlineMinutes)
{
    public static AlertRoutingView Of(AlertRouting r) =>
        new(r.ProsecutorEmail, r.OnCall, r.HeadEmail, r.WebhookUrl, !string.IsNullOrEmpty(r.WebhookSecret), r.DeliveryDeadlineMinutes, r.AcknowledgementDeadlineMinutes);
}

public sealed record GetCellPolicy : IQuery<CellPolicyView>;

public sealed class GetCellPolicyHandler(IQuerySession session) : IQueryHandler<GetCellPolicy, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(GetCellPolicy query, CancellationToken cancellationToken) =>
        CellPolicyView.Of(await CellPolicies.LoadAsync(session, cancellationToken));
}

public sealed record UpdateWorryingCriteria(WorryingCriteria? Criteria, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateWorryingCriteriaValidator : AbstractValidator<UpdateWorryingCriteria>
{
    public UpdateWorryingCriteriaValidator()
    {
        RuleFor(r => r.Criteria).NotNull();
        RuleFor(r => r.Criteria!.YoungerThan).NotNull().OverridePropertyName("youngerThan");
        RuleFor(r => r.Criteria!.YoungerThan.Years).InclusiveBetween(1, 18).When(r => r.Criteria?.YoungerThan is not null).OverridePropertyName("youngerThan.years");
        RuleFor(r => r.Criteria!.MissingLongerThan).NotNull().OverridePropertyName("missingLongerThan");
        When(r => r.Criteria?.MissingLongerThan is not null, () =>
        {
            RuleFor(r => r.Criteria!.MissingLongerThan.Hours).InclusiveBetween(1, 24 * 14).OverridePropertyName("missingLongerThan.hours");
            RuleFor(r => r.Criteria!.MissingLongerThan.YoungerMinorHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("missingLongerThan.youngerMinorHours");
            RuleFor(r => r.Criteria!.MissingLongerThan.YoungerThanYears).InclusiveBetween(1, 18).OverridePropertyName("missingLongerThan.youngerThanYears");
        });
        RuleFor(r => r.Criteria!.RepeatedEpisodes).NotNull().OverridePropertyName("repeatedEpisodes");
        When(r => r.Criteria?.RepeatedEpisodes is not null, () =>
        {
            RuleFor(r => r.Criteria!.RepeatedEpisodes.Episodes).InclusiveBetween(2, 20).OverridePropertyName("repeatedEpisodes.episodes");
            RuleFor(r => r.Criteria!.RepeatedEpisodes.WithinDays).InclusiveBetween(1, 365).OverridePropertyName("repeatedEpisodes.withinDays");
        });
        foreach (var (name, select) in Switches)
            RuleFor(r => select(r.Criteria!)).NotNull().When(r => r.Criteria is not null).OverridePropertyName(name);
    }

    private static readonly (string, Func<WorryingCriteria, Switch?>)[] Switches =
    [
        ("riskLevelAtRiskOrInSituation", c => c.RiskLevelAtRiskOrInSituation),
        ("healthNeedsOrMedication", c => c.HealthNeedsOrMedication),
        ("disability", c => c.Disability),
        ("selfHarmRisk", c => c.SelfHarmRisk),
        ("thirdPartyInvolvement", c => c.ThirdPartyInvolvement),
        ("firstKnownEpisode", c => c.FirstKnownEpisode),
        ("dangerDeclared", c => c.DangerDeclared),
    ];
}

public sealed class UpdateWorryingCriteriaHandler(PolicyStreams policies) : ICommandHandler<UpdateWorryingCriteria, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateWorryingCriteria r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new WorryingCriteriaChanged(r.Criteria!, provenance), cancellationToken);
}

public sealed record UpdateAlertRouting(
    string? ProsecutorEmail, OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, string? WebhookSecret,
    int? DeliveryDeadlineMinutes, int? AcknowledgementDeadlineMinutes, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateAlertRoutingValidator : AbstractValidator<UpdateAlertRouting>
{
    private static readonly Bilingual MustBeHttps = new("Use an absolute https:// URL (http:// only on loopback).", "Utilisez une URL https:// absolue (http:// seulement en local).");

    public UpdateAlertRoutingValidator()
    {
        RuleFor(r => r.ProsecutorEmail).NotEmpty().EmailAddress().MaximumLength(200);
        RuleFor(r => r.HeadEmail).NotEmpty().EmailAddress().MaximumLength(200);
        RuleFor(r => r.OnCall).NotNull();
        RuleFor(r => r.OnCall!.Name).NotEmpty().MaximumLength(200).When(r => r.OnCall is not null).OverridePropertyName("onCall.name");
        RuleFor(r => r.OnCall!.Phone).NotEmpty().MaximumLength(40).When(r => r.OnCall is not null).OverridePropertyName("onCall.phone");
        RuleFor(r => r.OnCall!.Email).EmailAddress().MaximumLength(200).When(r => r.OnCall is not null).OverridePropertyName("onCall.email");
        RuleFor(r => r.WebhookUrl).Must(BeAcceptableWebhook!).When(r => r.WebhookUrl is not null).WithMessage(_ => MustBeHttps.ToString());
        RuleFor(r => r.WebhookSecret).NotEmpty().MinimumLength(16).MaximumLength(200).When(r => r.WebhookUrl is not null);
        RuleFor(r => r.DeliveryDeadlineMinutes).InclusiveBetween(1, 120);
        RuleFor(r => r.AcknowledgementDeadlineMinutes).InclusiveBetween(5, 24 * 60);
    }

    private static bool BeAcceptableWebhook(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

public sealed class UpdateAlertRoutingHandler(PolicyStreams policies) : ICommandHandler<UpdateAlertRouting, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateAlertRouting r, CancellationToken cancellationToken)
    {
        var routing = new AlertRouting(r.ProsecutorEmail, r.OnCall, r.HeadEmail, r.WebhookUrl, r.WebhookSecret,
            r.DeliveryDeadlineMinutes ?? AlertRouting.Unconfigured.DeliveryDeadlineMinutes,
            r.AcknowledgementDeadlineMinutes ?? AlertRouting.Unconfigured.AcknowledgementDeadlineMinutes);
        return await policies.AppendAsync(r.ExpectedVersion, provenance => new AlertRoutingChanged(routing, provenance), cancellationToken);
    }
}

/// <summary>The delays of the reminder rules (head, admin).</summary>
public sealed record UpdateReminderSettings(ReminderSettings? Settings, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateReminderSettingsValidator : AbstractValidator<UpdateReminderSettings>
{
    public UpdateReminderSettingsValidator()
    {
        RuleFor(r => r.Settings).NotNull();
        When(r => r.Settings is not null, () =>
        {
            RuleFor(r => r.Settings!.ReturnInterviewHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("returnInterviewHours");
            RuleFor(r => r.Settings!.ContactEveryHours).InclusiveBetween(1, 72).OverridePropertyName("contactEveryHours");
            RuleFor(r => r.Settings!.CaseReviewEpisodes).InclusiveBetween(2, 20).OverridePropertyName("caseReviewEpisodes");
            RuleFor(r => r.Settings!.CaseReviewWithinDays).InclusiveBetween(1, 365).OverridePropertyName("caseReviewWithinDays");
            RuleFor(r => r.Settings!.EscalateOverdueAfterHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("escalateOverdueAfterHours");
            RuleFor(r => r.Settings!.ReferralFollowUpWorkingDays).InclusiveBetween(1, 30).OverridePropertyName("referralFollowUpWorkingDays");
        });
    }
}

public sealed class UpdateReminderSettingsHandler(PolicyStreams policies) : ICommandHandler<UpdateReminderSettings, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateReminderSettings r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new ReminderSettingsChanged(r.Settings!, provenance), cancellationToken);
}

/// <summary>Appends a policy change with optimistic concurrency on the cell's policy stream.</summary>
public sealed class PolicyStreams(IDocumentSession session, CurrentUser user, TimeProvider clock)
{
    public async Task<CellPolicyView> AppendAsync(long? expectedVersion, Func<Provenance, object> change, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CellPolicy>(CellPolicy.StreamId, cancellationToken);
        if (expectedVersion is { } expected && expected != (stream.StartingVersion ?? 0))
            throw new ConcurrencyException($"Expected policy version {expected}, found {stream.StartingVersion}.", typeof(CellPolicy), CellPolicy.StreamId);
        var @event = change(Provenance.Now(user.Actor, clock.GetUtcNow()));
        stream.AppendOne(@event);
        await session.SaveChangesAsync(cancellationToken);
        var policy = CellPolicy.Evolve(stream.Aggregate ?? new CellPolicy(), @event);
        policy.Version = stream.CurrentVersion ?? 1;
        return CellPolicyView.Of(policy);
    }
}
