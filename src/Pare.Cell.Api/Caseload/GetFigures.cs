using FluentValidation;
using Marten;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Figures;

namespace Pare.Cell.Api.Caseload;

/// <summary>The cell's figures over a period, computed from the case and alert projections.</summary>
public sealed record GetFigures(DateOnly? From, DateOnly? To) : IQuery<FiguresView>;

public sealed record FiguresView(CellFigures Figures, IReadOnlyList<ReferralOutcomes> Referrals, Freshness Freshness);

/// <summary>Referrals sent in the period, by partner type and current status (outcome).</summary>
public sealed record ReferralOutcomes(Domain.Referrals.PartnerType PartnerType, Domain.Referrals.ReferralStatus Status, int Count);

public sealed class GetFiguresValidator : AbstractValidator<GetFigures>
{
    public GetFiguresValidator()
    {
        RuleFor(q => q.From).NotEmpty();
        RuleFor(q => q.To).NotEmpty();
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.To.Value.DayNumber - q.From.Value.DayNumber <= 3660)
            .WithMessage(_ => new Bilingual("At most ten years.", "Dix ans au plus.").ToString()).OverridePropertyName("to");
    }
}

public sealed class GetFiguresHandler(IQuerySession session, NpgsqlDataSource dataSource, TimeProvider clock) : IQueryHandler<GetFigures, FiguresView>
{
    public async ValueTask<FiguresView> Handle(GetFigures query, CancellationToken cancellationToken)
    {
        var (cases, alerts) = await FiguresData.LoadAsync(session, cancellationToken);
        var from = FiguresData.Start(query.From!.Value);
        var to = FiguresData.Start(query.To!.Value);
        var figures = CellFigures.Compute(cases, FiguresData.Times(alerts), from, to, clock.GetUtcNow());
        var partners = (await session.Query<Partners.Partner>().ToListAsync(cancellationToken)).ToDictionary(p => p.Id, p => p.Type);
        var referrals = (await session.Query<Domain.Referrals.Referral>().Where(r => r.SentAt >= from && r.SentAt < to).ToListAsync(cancellationToken))
            .Where(r => partners.ContainsKey(r.PartnerId))
            .GroupBy(r => (Type: partners[r.PartnerId], r.Status))
            .Select(g => new ReferralOutcomes(g.Key.Type, g.Key.Status, g.Count()))
            .OrderBy(o => o.PartnerType).ThenBy(o => o.Status)
            .ToList();
        return new FiguresView(figures, referrals, await Freshness.ReadAsync(dataSource, session.TenantId, clock, cancellationToken));
    }
}

internal static class FiguresData
{
    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static async Task<(IReadOnlyList<Case> Cases, IReadOnlyList<AlertView> Alerts)> LoadAsync(IQuerySession session, CancellationToken cancellationToken) =>
        (await session.Query<Case>().ToListAsync(cancellationToken), await session.Query<AlertView>().ToListAsync(cancellationToken));

    public static IReadOnlyList<AlertTimes> Times(IEnumerable<AlertView> alerts) =>
        [.. alerts.Select(a => new AlertTimes(a.RaisedAt, a.DeliveredAt, a.AcknowledgedAt))];
}
