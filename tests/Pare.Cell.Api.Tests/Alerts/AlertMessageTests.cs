using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Tests.Alerts;

/// <summary>
/// The words of the alert, the found notice and the escalation, both parts, against golden files
/// (<c>Alerts/Golden</c>): read them to review a change of wording. Set <c>PARE_UPDATE_GOLDEN=1</c>
/// to write them again from the code, then read the diff.
/// </summary>
public sealed partial class AlertMessageTests
{
    private static readonly Guid AlertId = Guid.Parse("0193a5c4-7e00-7000-8000-00000000a1e7");
    private static readonly Guid CaseId = Guid.Parse("0193a5c4-7e00-7000-8000-0000000ca5e1");
    private static readonly Guid EpisodeId = Guid.Parse("0193a5c4-7e00-7000-8000-00000000e915");
    private static readonly DateTimeOffset LastSeen = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Raised = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(MessageKind.Alert, "alert")]
    [InlineData(MessageKind.FoundNotice, "found")]
    [InlineData(MessageKind.Escalation, "escalation")]
    public void A_full_profile_reads_as_the_golden_files(MessageKind kind, string name)
    {
        var document = AlertText.Compose(Full(kind));
        Golden($"{name}-full.txt", document.ToText());
        Golden($"{name}-full.html", document.ToHtml());
    }

    [Theory]
    [InlineData(MessageKind.Alert, "alert")]
    [InlineData(MessageKind.FoundNotice, "found")]
    public void An_empty_profile_reads_as_the_golden_files_without_an_empty_heading(MessageKind kind, string name)
    {
        var document = AlertText.Compose(Empty(kind));
        var text = document.ToText();
        Golden($"{name}-empty.txt", text);
        Golden($"{name}-empty.html", document.ToHtml());
        text.Contains("\nLA DISPARITION\n", StringComparison.Ordinal).ShouldBeFalse(); // nothing known of clothing, companions, hints
        text.ShouldNotContain("Taille");
        text.ShouldNotContain("Santé");
        // Every heading has a line under it.
        foreach (Match heading in Heading().Matches(text)) heading.Groups["next"].Value.Trim().ShouldNotBeEmpty(heading.Value);
    }

    [Theory]
    [InlineData(MessageKind.Alert)]
    [InlineData(MessageKind.FoundNotice)]
    [InlineData(MessageKind.Escalation)]
    public void The_html_part_says_what_the_text_part_says_and_encodes_every_value(MessageKind kind)
    {
        var document = AlertText.Compose(Full(kind));
        Words(FromHtml(document.ToHtml())).ShouldBe(Words(document.ToText().Replace("\n  - ", "\n", StringComparison.Ordinal)));
        if (kind == MessageKind.Alert)
        {
            document.ToHtml().ShouldContain("Cicatrice &lt;b&gt;2 cm&lt;/b&gt; au menton &amp; tatouage &quot;étoile&quot;");
            document.ToHtml().ShouldNotContain("<b>2 cm</b>");
        }
    }

    [Fact]
    public void Essentials_come_first_in_french_with_paris_times_and_french_words_for_every_value()
    {
        var text = AlertText.Compose(Full(MessageKind.Alert)).ToText();

        text.ShouldStartWith("DISPARITION INQUIÉTANTE D'UN·E MINEUR·E");
        var order = new[] { "Qui :", "Disparu·e depuis :", "Vu·e pour la dernière fois à :", "Pourquoi c'est inquiétant :", "Qui appeler maintenant :", "FICHE DE SIGNALEMENT" };
        order.Select(s => text.IndexOf(s, StringComparison.Ordinal)).ShouldBeInOrder();
        text.ShouldContain("samedi 28 novembre 2026 à 08 h 00 (UTC+01:00)");
        text.ShouldContain("âge : 13 ans, moins de 15 ans");
        text.ShouldContain("placé·e par l'ASE en établissement — Foyer Les Tilleuls");
        text.ShouldContain("risque prostitutionnel : en risque");
        foreach (var english in new[] { "YoungerThanThreshold", "ChildWelfareEstablishment", "AtRisk", "FirstKnownEpisode", "UTC\n", " UTC)" })
            text.ShouldNotContain(english);
    }

    /// <summary>Last seen on Saturday evening in summer time, alerted on Sunday morning in winter time: 13 hours, each time with its own offset.</summary>
    [Fact]
    public void Across_the_October_clock_change_each_time_keeps_its_own_offset_and_the_duration_counts_the_extra_hour()
    {
        var lastSeen = new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero);
        var raised = new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero);
        var content = Full(MessageKind.Alert, lastSeen, raised);

        var text = AlertText.Compose(content).ToText();

        text.ShouldContain("Disparu·e depuis : samedi 24 octobre 2026 à 22 h 00 (UTC+02:00), soit 13 h à l'envoi de ce message");
        text.ShouldContain("Émis le : dimanche 25 octobre 2026 à 10 h 00 (UTC+01:00)");
    }

    [Fact]
    public void A_deactivated_worker_is_shown_as_nobody_reachable_and_their_contact_does_not_leave()
    {
        var content = Full(MessageKind.Alert) with { Referent = Full(MessageKind.Alert).Referent with { Deactivated = true } };

        var text = AlertText.Compose(content).ToText();

        text.ShouldContain("  - travailleur·se social·e référent·e : personne de joignable (compte désactivé), appelez l'astreinte\n");
        text.ShouldNotContain("Paul Martin");
        text.ShouldNotContain("06 98 76 54 32");
        text.ShouldContain("personne d'astreinte : Marie Durand, 06 12 34 56 78");
    }

    [Fact]
    public void The_readme_shows_the_alert_as_the_code_renders_it()
    {
        var readme = File.ReadAllText(Path.Combine(GoldenDirectory(), "..", "..", "..", "..", "README.md"));
        readme.ReplaceLineEndings("\n").ShouldContain(AlertText.Compose(Full(MessageKind.Alert)).ToText());
    }

    private static AlertContent Full(MessageKind kind, DateTimeOffset? lastSeen = null, DateTimeOffset? raised = null)
    {
        var seen = lastSeen ?? LastSeen;
        var at = raised ?? Raised;
        var report = new RunawayReported(CaseId, EpisodeId, seen, "Gare Part-Dieu, Lyon", "Éducatrice du foyer",
            "Partie après un appel d'un numéro inconnu", "Doudoune rouge, baskets blanches", "Un homme d'une vingtaine d'années",
            "A parlé d'un appartement à Villeurbanne", RunawayClassification.Runaway, ConcernSigns.None, Provenance.Now(Actor.Member("worker-1"), at));
        var returned = kind == MessageKind.FoundNotice ? at.AddHours(26) : (DateTimeOffset?)null;
        var episode = EpisodeSummary.Reported(report) with
        {
            Classification = RunawayClassification.WorryingDisappearance,
            Status = returned is null ? EpisodeStatus.Missing : EpisodeStatus.Returned,
            ReturnedAt = returned,
            ReturnMode = returned is null ? null : ReturnMode.FoundByPolice,
        };
        var worrying = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId,
        [
            new(WorryingCriterion.YoungerThanThreshold, "age 13 < 15") { Value = 13, Threshold = 15 },
            new(WorryingCriterion.RiskLevel, "risk level AtRisk"),
            new(WorryingCriterion.FirstKnownEpisode, "first known episode"),
            new(WorryingCriterion.FlaggedByWorker, "Vue montant dans une voiture inconnue"),
        ], 3, Provenance.Now(Actor.Member("worker-1"), at));
        var profile = new MinorProfile(
            new PhysicalDescription(158, "mince", "bruns, longs", "marron", "Cicatrice <b>2 cm</b> au menton & tatouage \"étoile\""),
            "photo-2026-11-01",
            ["06 11 22 33 44", "07 55 66 77 88"],
            [new SocialMediaHandle("Snapchat", "zoe.l"), new SocialMediaHandle("Instagram", "@zoe_l")],
            [new Associate("Kevin", "petit ami présumé", "19 ans, voiture grise"), new Associate("Inès", "amie", null)],
            ["Centre commercial Part-Dieu", "Parc de la Tête d'Or"],
            new HealthNeeds("Diabète de type 1", true, null, true));
        return new AlertContent
        {
            Kind = kind,
            AlertId = AlertId,
            CaseReference = "PC-7E00-A5E1",
            Minor = new MinorIdentity("Zoé", "Laurent", new DateOnly(2012, 12, 9)),
            Placement = new Placement(PlacementKind.ChildWelfareEstablishment, "Foyer Les Tilleuls"),
            Profile = profile,
            RiskLevel = RiskLevel.AtRisk,
            Report = report,
            Episode = episode,
            Raised = worrying,
            Referent = new Referent("worker-1", new StaffContact("worker-1", "Paul Martin", "06 98 76 54 32", "paul.martin@cellule.example"), Deactivated: false),
            OnCall = new StaffContact("worker-2", "Marie Durand", "06 12 34 56 78", null),
            CellLine = new OnCallContact("Astreinte de la cellule", "04 00 00 00 00", "astreinte@cellule.example"),
            AcknowledgementLink = kind == MessageKind.Alert ? new Uri("https://pare.example/api/v1/alerts/0193a5c4-7e00-7000-8000-00000000a1e7/acknowledgement?cell=cell-a&case=0193a5c4-7e00-7000-8000-0000000ca5e1&expires=1796000000&signature=c2lnbmF0dXJl") : null,
            DeliveryDeadlineMinutes = 10,
            ComposedAt = kind == MessageKind.FoundNotice ? returned!.Value : at,
        };
    }

    private static AlertContent Empty(MessageKind kind)
    {
        var report = new RunawayReported(CaseId, EpisodeId, LastSeen, "Domicile", "Mère", null, null, null, null,
            RunawayClassification.WorryingDisappearance, ConcernSigns.None, Provenance.Now(Actor.Member("worker-1"), Raised));
        var returned = kind == MessageKind.FoundNotice ? Raised.AddHours(3) : (DateTimeOffset?)null;
        var episode = EpisodeSummary.Reported(report) with { ReturnedAt = returned, ReturnMode = returned is null ? null : ReturnMode.CameBackAlone };
        return new AlertContent
        {
            Kind = kind,
            AlertId = AlertId,
            CaseReference = "PC-7E00-A5E1",
            Minor = new MinorIdentity("Léo", "Garnier", new DateOnly(2010, 1, 15)),
            Placement = new Placement(PlacementKind.AtHome),
            Profile = MinorProfile.Empty,
            Report = report,
            Episode = episode,
            Raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [new(WorryingCriterion.FlaggedByWorker, MatchedCriterion.ClassifiedAtReport)], 1,
                Provenance.Now(Actor.Member("worker-1"), Raised)),
            Referent = new Referent("worker-1", null, Deactivated: false),
            AcknowledgementLink = kind == MessageKind.Alert ? new Uri("https://pare.example/api/v1/alerts/x/acknowledgement?signature=s") : null,
            DeliveryDeadlineMinutes = 10,
            ComposedAt = returned ?? Raised,
        };
    }

    private static void Golden(string name, string actual, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(GoldenDirectory(source), name);
        if (Environment.GetEnvironmentVariable("PARE_UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
            File.Exists(path).ShouldBeTrue();
            if (Environment.GetEnvironmentVariable("PARE_UPDATE_GOLDEN") != "1") throw new ShouldAssertException($"Golden file {name} written: review it and run again.");
            return;
        }
        actual.ShouldBe(File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");

    internal static string FromHtml(string html) =>
        WebUtility.HtmlDecode(Tag().Replace(html[html.IndexOf("<body>", StringComparison.Ordinal)..], "\n"));

    internal static string[] Words(string text) => text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.ToUpperInvariant()).ToArray();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n\n(?<title>[A-ZÀ-Ü' ]+)\n(?<next>[^\n]*)")]
    private static partial Regex Heading();
}
