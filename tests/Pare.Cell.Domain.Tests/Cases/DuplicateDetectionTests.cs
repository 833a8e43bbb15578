using Pare.Cell.Domain.Cases;
using Xunit.Abstractions;

namespace Pare.Cell.Domain.Tests.Cases;

/// <summary>
/// The labelled set the duplicate check is tuned on: near-duplicates a worker would type for a
/// minor the cell already follows (accents, typos, swapped names, hyphenated and partial compound
/// names, spelling variants, an alias for the first name, a slipped date of birth), and distinct
/// people who look alike (twins, siblings, cousins, common names, an alias shared by chance). The
/// precision and recall reached are printed and held to a floor; README.md states them.
/// </summary>
public sealed class DuplicateDetectionTests(ITestOutputHelper output)
{
    private sealed record Pair(string Label, string Known, string KnownBorn, string Newcomer, string NewBorn, bool Same, params string[] Aliases);

    private static readonly Pair[] Set =
    [
        // Near-duplicates: the same minor.
        new("accent", "Léa|Martin", "2011-04-02", "Lea|Martin", "2011-04-02", true),
        new("typo in the family name", "Léa|Martin", "2011-04-02", "léa|martinn", "2011-04-02", true),
        new("names swapped", "Léa|Martin", "2011-04-02", "Martin|Léa", "2011-04-02", true),
        new("hyphen or space", "Marie-Claire|Dupont", "2010-10-21", "Marie Claire|Dupont", "2010-10-21", true),
        new("partial compound first name", "Marie-Claire|Dupont", "2010-10-21", "Marie|Dupont", "2010-10-21", true),
        new("compound family name split", "Inès|Benali", "2012-01-30", "Ines|Ben Ali", "2012-01-30", true),
        new("spelling variant", "Yasmine|Diallo", "2012-06-15", "Yasmina|Diallo", "2012-06-15", true),
        new("day digits swapped", "Chloé|Leroy", "2011-09-30", "Chloe|Leroy", "2011-09-03", true),
        new("day and month swapped", "Manon|Petit", "2010-12-01", "Manon|Petit", "2010-01-12", true),
        new("short spelling", "Sarah|Nguyen", "2011-03-08", "Sara|Nguyen", "2011-03-08", true),
        new("alias for the first name", "Léa|Martin", "2011-04-02", "Lilou|Martin", "2011-04-02", true, "Lilou"),
        new("a day off", "Emma|Bernard", "2012-02-10", "Emma|Bernard", "2012-02-11", true),
        new("year mistyped", "Camille|Durand", "2011-07-07", "Camille|Durand", "2010-07-07", true),
        new("double letter", "Jade|Simon", "2013-01-20", "Jade|Simmon", "2013-01-20", true),
        new("particle joined", "Nour|El Amrani", "2011-05-05", "Nour|Elamrani", "2011-05-05", true),
        new("final e", "Rayan|Garcia", "2010-05-05", "Rayane|Garcia", "2010-05-05", true),
        new("second family name dropped", "Anaïs|Fontaine-Roux", "2012-11-02", "Anais|Fontaine", "2012-11-02", true),
        new("single d", "Kenza|Haddad", "2011-11-11", "Kenza|Hadad", "2011-11-11", true),
        new("spelling of the family name", "Théo|Lefèvre", "2012-04-04", "Theo|Lefebvre", "2012-04-04", true),
        new("two days off", "Maëlys|Girard", "2011-08-19", "Maelys|Girard", "2011-08-17", true),
        new("upper case, names swapped, typo", "Océane|Faure", "2012-07-14", "FAURE|Oceanne", "2012-07-14", true),
        new("month mistyped", "Louna|Mercier", "2010-03-25", "Louna|Mercier", "2010-08-25", true),
        // Distinct people who look alike.
        new("twins", "Léa|Martin", "2011-04-02", "Lina|Martin", "2011-04-02", false),
        new("twins, close first names", "Emma|Bernard", "2012-02-10", "Emmy|Bernard", "2012-02-10", false),
        new("twins, boy and girl", "Yanis|Benali", "2010-02-14", "Yasmine|Benali", "2010-02-14", false),
        new("twins, Lucas and Luca", "Lucas|Diallo", "2012-03-03", "Luca|Diallo", "2012-03-03", false),
        new("twins, Maël and Maëlle", "Maël|Rousseau", "2012-10-10", "Maëlle|Rousseau", "2012-10-10", false),
        new("twins, Adam and Adama", "Adam|Traoré", "2010-06-06", "Adama|Traoré", "2010-06-06", false),
        new("siblings", "Manon|Petit", "2010-12-01", "Lucas|Petit", "2013-05-20", false),
        new("siblings a year apart to the day", "Inès|Moreau", "2011-05-17", "Inaya|Moreau", "2012-05-17", false),
        new("siblings, same initial", "Nina|Robin", "2011-02-02", "Nora|Robin", "2012-09-15", false),
        new("common name, other date", "Emma|Martin", "2011-05-17", "Emma|Martin", "2012-09-03", false),
        new("common name, a month apart", "Chloé|Leroy", "2011-09-30", "Chloé|Leroy", "2011-10-30", false),
        new("common name, three months apart", "Emma|Martin", "2011-05-17", "Emma|Martin", "2011-08-17", false),
        new("cousins", "Enzo|Garcia", "2011-01-15", "Enzo|Garcia-Lopez", "2014-03-02", false),
        new("alias shared by chance", "Léa|Martin", "2011-04-02", "Lilou|Dupont", "2011-04-02", false, "Lilou"),
        new("same first name, same day", "Lucas|Bernard", "2012-06-01", "Lucas|Fontaine", "2012-06-01", false),
        new("same family name, same day, unrelated", "Hugo|Nguyen", "2011-12-24", "Alice|Nguyen", "2011-12-24", false),
        new("close names, other year", "Kenza|Haddad", "2011-11-11", "Kenza|Hadad", "2014-02-20", false),
        new("different people entirely", "Noah|Lambert", "2012-05-05", "Mia|Chevalier", "2012-05-05", false),
    ];

    private static bool Decide(Pair p)
    {
        var known = p.Known.Split('|');
        var newcomer = p.Newcomer.Split('|');
        return Duplicates.ProbablySame(
            new MinorIdentity(newcomer[0], newcomer[1], DateOnly.Parse(p.NewBorn)),
            new KnownMinor(Guid.Empty, new MinorIdentity(known[0], known[1], DateOnly.Parse(p.KnownBorn)), p.Aliases));
    }

    [Fact]
    public void The_labelled_set_is_caught_with_the_precision_and_recall_stated_in_the_readme()
    {
        var decided = Set.Select(p => (Pair: p, Flagged: Decide(p))).ToList();
        var truePositives = decided.Count(d => d.Pair.Same && d.Flagged);
        var falsePositives = decided.Where(d => !d.Pair.Same && d.Flagged).ToList();
        var misses = decided.Where(d => d.Pair.Same && !d.Flagged).ToList();
        var precision = (double)truePositives / (truePositives + falsePositives.Count);
        var recall = (double)truePositives / Set.Count(p => p.Same);
        output.WriteLine($"{Set.Count(p => p.Same)} near-duplicates, {Set.Count(p => !p.Same)} look-alikes: precision {precision:0.00}, recall {recall:0.00}");
        foreach (var d in falsePositives) output.WriteLine($"  flagged though distinct: {d.Pair.Label}");
        foreach (var d in misses) output.WriteLine($"  missed: {d.Pair.Label}");

        recall.ShouldBe(1.0, string.Join(", ", misses.Select(m => m.Pair.Label)));
        precision.ShouldBeGreaterThanOrEqualTo(0.84, string.Join(", ", falsePositives.Select(m => m.Pair.Label)));
    }

    [Theory]
    [InlineData("Léa", "Lea", 1.0)]
    [InlineData("Lea Martin", "Martin Lea", 1.0)]
    [InlineData("Marie-Claire", "marie claire", 1.0)]
    [InlineData("lea", "lina", 0.125)]
    public void Similarity_is_pg_trgm_s_on_normalised_text(string a, string b, double expected) =>
        Duplicates.Similarity(a, b).ShouldBe(expected, 0.001);
}
