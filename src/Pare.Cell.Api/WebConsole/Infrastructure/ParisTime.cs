using System.Globalization;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The cell works in Europe/Paris time: what the console shows, and what a worker types in a date-time
/// field (<c>datetime-local</c> has no zone), which is converted to an instant here.
/// </summary>
public static class ParisTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The value of a datetime-local field for this instant.</summary>
    public static string Input(DateTimeOffset instant) => Local(instant).ToString(InputFormat, CultureInfo.InvariantCulture);

    public static string DateInput(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A datetime-local value read as Paris time; null when empty or unreadable (the validator then names the field).</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTime.TryParseExact(value.Trim(), [InputFormat, InputFormat + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        // A time skipped by the spring change does not exist: read it one hour later, as a clock would.
        if (Zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>"jeu. 28 nov. 2026 à 10:05".</summary>
    public static string Show(DateTimeOffset instant) => Local(instant).ToString("ddd d MMM yyyy 'à' HH:mm", French);

    public static string Show(DateTimeOffset? instant) => instant is { } i ? Show(i) : "—";

    public static string ShowDate(DateOnly day) => day.ToString("d MMMM yyyy", French);

    /// <summary>The ISO instant a &lt;time&gt; element carries, and that the script counts from.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"2 j 3 h", "5 h 12 min", "40 min".</summary>
    public static string Duration(long minutes)
    {
        if (minutes < 60) return $"{Math.Max(0, minutes)} min";
        var days = minutes / (24 * 60);
        var hours = minutes / 60 % 24;
        return days > 0 ? $"{days} j {hours} h" : $"{hours} h {minutes % 60:00} min";
    }
}
