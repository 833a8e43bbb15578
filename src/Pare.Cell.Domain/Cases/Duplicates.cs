using System.Globalization;
using System.Text;

namespace Pare.Cell.Domain.Cases;

/// <summary>A case the cell already has, as the duplicate check weighs it.</summary>
public sealed record KnownMinor(Guid CaseId, MinorIdentity Identity, IReadOnlyList<string> Aliases);

/// <summary>
/// Whether a minor about to get a case probably has one already: similar names (typos, accents,
/// swapped first and family names, hyphenated or partial compound names, a known alias in place of
/// the first name) AND the same or a close date of birth (a day or two off, one digit mistyped,
/// day and month swapped, the year off by one). The date is what keeps siblings, twins and common
/// names apart. Tuned on a labelled set (tests/…/Cases/DuplicateDetectionTests.cs). Pure.
/// </summary>
public static class Duplicates
{
    /// <summary>Names at least this alike, with close dates of birth, are the same minor until a worker says otherwise.</summary>
    public const double NameThreshold = 0.6;

    public static bool ProbablySame(MinorIdentity newcomer, KnownMinor known) =>
        CloseBirthDates(newcomer.DateOfBirth, known.Identity.DateOfBirth) && NameLikeness(newcomer, known) >= NameThreshold;

    /// <summary>0 to 1: the best of the ways two people's names may be the same name (first with first or an alias, or swapped).</summary>
    public static double NameLikeness(MinorIdentity a, KnownMinor b)
    {
        var last = Similarity(a.LastName, b.Identity.LastName);
        var direct = new[] { b.Identity.FirstName }.Concat(b.Aliases).Max(first => Pair(Similarity(a.FirstName, first), last));
        var swapped = Pair(Similarity(a.FirstName, b.Identity.LastName), Similarity(a.LastName, b.Identity.FirstName));
        // "Marie-Claire Dupont" and "Marie Dupont": every word of one name is a word of the other.
        var contained = Contained($"{a.FirstName} {a.LastName}", $"{b.Identity.FirstName} {b.Identity.LastName}") ? 0.85 : 0;
        return Math.Max(Math.Max(direct, swapped), contained);
    }

    /// <summary>
    /// Both names must be somewhat alike (so twins "Emma" and "Emmy" with one family name stay apart),
    /// then they count on average (so "Sara" for "Sarah", or "Lefebvre" for "Lefèvre", still match).
    /// </summary>
    private static double Pair(double first, double last) => first >= MinimumEach && last >= MinimumEach ? (first + last) / 2 : Math.Min(first, last);

    public const double MinimumEach = 0.5;

    /// <summary>The same day; or one plausible slip when the date was typed.</summary>
    public static bool CloseBirthDates(DateOnly a, DateOnly b)
    {
        if (Math.Abs(a.DayNumber - b.DayNumber) <= 2) return true;
        if (a.Month == b.Month && a.Day == b.Day && Math.Abs(a.Year - b.Year) == 1) return true;
        if (a.Year == b.Year && a.Month == b.Day && a.Day == b.Month) return true;
        var x = a.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var y = b.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var differ = x.Zip(y).Select((p, i) => p.First != p.Second ? i : -1).Where(i => i >= 0).ToList();
        // One digit mistyped, or two neighbouring digits swapped ("30" for "03").
        return differ.Count == 1 || (differ.Count == 2 && differ[1] == differ[0] + 1 && x[differ[0]] == y[differ[1]] && x[differ[1]] == y[differ[0]]);
    }

    /// <summary>PostgreSQL pg_trgm's similarity, on <see cref="Normalize"/>d text: shared trigrams over all trigrams.</summary>
    public static double Similarity(string a, string b)
    {
        var x = Trigrams(Normalize(a));
        var y = Trigrams(Normalize(b));
        if (x.Count == 0 || y.Count == 0) return 0;
        var shared = x.Count(y.Contains);
        return (double)shared / (x.Count + y.Count - shared);
    }

    /// <summary>As <c>pare.normalized</c> does in the database: accents off, lower case, anything but letters and digits a space.</summary>
    public static string Normalize(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            b.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }
        return string.Join(' ', b.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static HashSet<string> Trigrams(string normalized)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var padded = $"  {word} ";
            for (var i = 0; i + 3 <= padded.Length; i++) set.Add(padded.Substring(i, 3));
        }
        return set;
    }

    private static bool Contained(string a, string b)
    {
        var x = Normalize(a).Split(' ');
        var y = Normalize(b).Split(' ');
        var (shorter, longer) = x.Length <= y.Length ? (x, y) : (y, x);
        return shorter.Length >= 2 && shorter.Length < longer.Length && shorter.All(longer.Contains);
    }
}
