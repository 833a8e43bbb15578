using System.Globalization;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The cell works in Europe/Paris time (<see cref="CellTime"/>): what the console shows, and what a worker
/// types in a date-time field (<c>datetime-local</c> has no zone), read here as the instant it names.
/// </summary>
public static class ParisTime
{
    private static readonly CultureInfo French = InFrench.Culture;
    private const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    private static DateTimeOffset Local(DateTimeOffset instant) => CellTime.ToLocal(instant);

    /// <summary>The value of a datetime-local field for this instant.</summary>
    public static string Input(DateTimeOffset instant) => Local(instant).ToString(InputFormat, CultureInfo.InvariantCulture);

    public static string DateInput(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A datetime-local value read as Paris time; null when empty or unreadable (the validator then names the field).</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateTime.TryParseExact(value.Trim(), [InputFormat, InputFormat + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? CellTime.ToInstant(local) : null;
    }

    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>"jeu. 28 nov. 2026 à 10:05".</summary>
    public static string Show(DateTimeOffset instant) => Local(instant).ToString("ddd d MMM yyyy 'à' HH:mm", French);

    public static string Show(DateTimeOffset? instant) => instant is { } i ? Show(i) : "—";

    public static string ShowDate(DateOnly day) => day.ToString("d MMMM yyyy", French);

    /// <summary>The ISO instant a &lt;time&gt; element carries, and that the script counts from.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"40 min", "5 h 12", "2 j 3 h": the alerts' wording (console.js counts on in the same words).</summary>
    public static string Duration(long minutes) => InFrench.Duration(TimeSpan.FromMinutes(minutes));
}
