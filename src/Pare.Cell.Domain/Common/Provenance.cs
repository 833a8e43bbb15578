namespace Pare.Cell.Domain.Common;

/// <summary>
/// Carried by every event: who recorded the fact, when it happened in the world and when the
/// cell recorded it. The two times differ whenever a worker logs something after the fact
/// (a contact at 2 a.m. entered at 8 a.m.).
/// </summary>
public sealed record Provenance(Actor RecordedBy, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt)
{
    public static Provenance Now(Actor by, DateTimeOffset now) => new(by, now, now);
}
