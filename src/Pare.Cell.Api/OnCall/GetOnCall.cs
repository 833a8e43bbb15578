using Marten;
using Mediator;
using Pare.Cell.Domain.Staff;

namespace Pare.Cell.Api.OnCall;

/// <summary>Who is on call now and who is next, and the gaps of the next 7 days (nobody reachable on call).</summary>
public sealed record GetOnCall : IQuery<OnCallNow>;

/// <param name="Phone">E.164, as the directory keeps it.</param>
public sealed record OnCallPerson(string StaffId, string Name, string? Phone, DateTimeOffset From, DateTimeOffset Until);

public sealed record OnCallNow(DateTimeOffset AsOf, OnCallPerson? Now, OnCallPerson? Next, IReadOnlyList<OnCallGap> Gaps);

public sealed class GetOnCallHandler(IQuerySession session, OnCallDuty duty, TimeProvider clock) : IQueryHandler<GetOnCall, OnCallNow>
{
    /// <summary>Far enough on both sides to see where a shift of a weekly pattern starts and ends.</summary>
    private static readonly TimeSpan Reach = TimeSpan.FromDays(8);

    public async ValueTask<OnCallNow> Handle(GetOnCall query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var picture = await duty.ReadAsync(session, cancellationToken);
        var shifts = picture.Shifts(now - Reach, now + Reach);
        var current = shifts.FirstOrDefault(s => s.From <= now && s.Until > now);
        var next = shifts.FirstOrDefault(s => s.From >= (current?.Until ?? now));
        return new OnCallNow(now, Person(current), Person(next), OnCallSchedule.Gaps(shifts, now, now.AddDays(7)));

        OnCallPerson? Person(OnCallShift? shift) => shift is null ? null
            : new OnCallPerson(shift.StaffId, picture.Staff[shift.StaffId].Name, picture.Staff[shift.StaffId].Phone, shift.From, shift.Until);
    }
}

/// <summary>The rota as the head defined it, with its version (the ETag a change sends back; 0 before the first).</summary>
public sealed record GetRota : IQuery<OnCallRota>;

public sealed class GetRotaHandler(IQuerySession session) : IQueryHandler<GetRota, OnCallRota>
{
    public async ValueTask<OnCallRota> Handle(GetRota query, CancellationToken cancellationToken) =>
        await session.LoadAsync<OnCallRota>(OnCallRota.StreamId, cancellationToken) ?? new OnCallRota();
}
