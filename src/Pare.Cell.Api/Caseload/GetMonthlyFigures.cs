using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Domain.Figures;

namespace Pare.Cell.Api.Caseload;

/// <summary>
/// The cell's figures month by month, from <see cref="From"/>'s month for <see cref="Months"/> months: the
/// same computation as <see cref="GetFigures"/> (<see cref="CellFigures.Compute"/>) for each calendar month
/// (UTC days, as the figures' periods are), over one read of the cell's cases and alerts.
/// </summary>
public sealed record GetMonthlyFigures(DateOnly From, int Months) : IQuery<IReadOnlyList<MonthFigures>>;

public sealed record MonthFigures(DateOnly Month, CellFigures Figures);

public sealed class GetMonthlyFiguresValidator : AbstractValidator<GetMonthlyFigures>
{
    public GetMonthlyFiguresValidator() => RuleFor(q => q.Months).InclusiveBetween(1, 36);
}

public sealed class GetMonthlyFiguresHandler(IQuerySession session, TimeProvider clock) : IQueryHandler<GetMonthlyFigures, IReadOnlyList<MonthFigures>>
{
    public async ValueTask<IReadOnlyList<MonthFigures>> Handle(GetMonthlyFigures query, CancellationToken cancellationToken)
    {
        var (cases, alerts) = await FiguresData.LoadAsync(session, cancellationToken);
        var times = FiguresData.Times(alerts);
        var now = clock.GetUtcNow();
        var first = new DateOnly(query.From.Year, query.From.Month, 1);
        return [.. Enumerable.Range(0, query.Months).Select(i =>
        {
            var month = first.AddMonths(i);
            return new MonthFigures(month, CellFigures.Compute(cases, times, FiguresData.Start(month), FiguresData.Start(month.AddMonths(1)), now));
        })];
    }
}
