namespace Pare.Cell.Domain.Common;

/// <summary>
/// The cell's clock on the wall: Europe/Paris. Instants are stored in UTC; what a person reads, and
/// what a head defines (a rota, office hours), is Paris time, whose offset changes twice a year.
/// </summary>
public static class CellTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>
    /// The instant a Paris wall-clock time names. A time skipped when clocks go forward (02:30 on the last
    /// Sunday of March) is read with the offset before the change, so it lands just after the gap (03:30);
    /// a time that happens twice when they go back (02:30 on the last Sunday of October) is its first
    /// occurrence. The same wall-clock time always names the same instant, so periods that meet on the
    /// wall clock meet in time too: no gap, no overlap.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local)) return new DateTimeOffset(local, Zone.GetUtcOffset(local.AddHours(-3)));
        if (Zone.IsAmbiguousTime(local)) return new DateTimeOffset(local, Zone.GetAmbiguousTimeOffsets(local).Max());
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
