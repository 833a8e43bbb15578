using System.Text.Json;
using Marten;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Demo;

/// <summary>
/// Fictional cases written through the real deciders (so every event is one the product could
/// have written): for a demo cell worth exploring on first run, and at scale for benchmarks
/// (10,000 cases, about 100 events each). Names are invented; no real person is described.
/// </summary>
public sealed class DemoData(IDocumentStore store, TimeProvider clock)
{
    private static readonly string[] FirstNames = ["Inès", "Jade", "Léa", "Chloé", "Manon", "Lina", "Sarah", "Emma", "Camille", "Yasmine", "Nour", "Lucas", "Enzo", "Noah", "Rayan", "Adam", "Maël", "Théo"];
    private static readonly string[] LastNames = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Benali", "Diallo", "Nguyen", "Rousseau", "Fontaine"];
    private static readonly string[] Places = ["Gare Part-Dieu", "Place Bellecour", "Centre commercial", "Quai de Saône", "Parc de la Tête d'Or", "Gare de Grenoble", "Foyer", "Domicile"];
    // Searches and links need the variety of a real cell: these are drawn from their own generator,
    // so the cases' episodes (and the other benchmarks' event counts) are the same as without them.
    private static readonly string[] MoreFirstNames = ["Zoé", "Inaya", "Maëlys", "Anaïs", "Océane", "Kenza", "Aya", "Louna", "Mathis", "Ilyes", "Kylian", "Sacha", "Nina", "Romane", "Elsa", "Mia", "Jules", "Hugo", "Naël", "Yanis", "Eden", "Lou", "Alice", "Margaux"];
    private static readonly string[] MoreLastNames = ["Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Henry", "Roussel", "Mathieu", "Brun", "Haddad", "Traoré", "Kone", "Da Silva", "Pereira"];
    private static readonly string[] Aliases = ["Lilou", "Mimi", "Nana", "Kiki", "Lulu", "Titi", "Princesse", "Bébé", "Chouchou", "Zaza", "Loulou", "Doudou"];
    private static readonly string[] Associates = ["Kévin", "Mehdi", "Jordan", "Dylan", "Steven", "Anthony", "Bryan", "Nassim", "Kader", "Tony"];
    private static readonly string[] Workers = ["worker-amel", "worker-bruno", "worker-chloe", "worker-david", "worker-eva", "worker-farid", "worker-gaelle", "worker-hugo"];

    /// <summary>Writes <paramref name="cases"/> cases with about <paramref name="episodesPerCase"/> episodes each; returns the events written.</summary>
    public async Task<long> GenerateAsync(string cellId, int cases, int episodesPerCase, int seed = 17, CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        var now = clock.GetUtcNow();
        long written = 0;
        const int batch = 100;
        for (var first = 0; first < cases; first += batch)
        {
            await using var session = store.LightweightSession(cellId);
            for (var i = first; i < Math.Min(cases, first + batch); i++)
            {
                var events = OneCase(random, new Random(seed * 7919 + i), now, episodesPerCase);
                session.Events.StartStream<Case>(events[0].CaseId, events);
                written += events.Count;
            }
            await session.SaveChangesAsync(cancellationToken);
        }
        return written;
    }

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    private static List<ICaseEvent> OneCase(Random random, Random people, DateTimeOffset now, int episodesPerCase)
    {
        var events = new List<ICaseEvent>();
        Case? state = null;
        var worker = Workers[random.Next(Workers.Length)];
        var by = Actor.Member(worker);
        void Do(CaseCommand command, WorryingContext? worrying = null)
        {
            foreach (var e in CaseDecider.Decide(command, state, worrying))
            {
                state = Case.Evolve(state, e);
                events.Add(e);
            }
        }

        var openedAt = now.AddDays(-random.Next(200, 730));
        var caseId = Guid.CreateVersion7(openedAt);
        var born = DateOnly.FromDateTime(now.UtcDateTime).AddYears(-random.Next(12, 17)).AddDays(-random.Next(0, 365));
        var placement = random.Next(3) switch
        {
            0 => new Placement(PlacementKind.AtHome),
            1 => new Placement(PlacementKind.ChildWelfareEstablishment, "MECS Les Tilleuls"),
            _ => new Placement(PlacementKind.FosterFamily),
        };
        var firstName = FirstNames[random.Next(FirstNames.Length)];
        var lastName = LastNames[random.Next(LastNames.Length)];
        if (people.Next(3) > 0) (firstName, lastName) = (Pick(people, [.. FirstNames, .. MoreFirstNames]), Pick(people, [.. LastNames, .. MoreLastNames]));
        Do(new OpenCase(caseId, new MinorIdentity(firstName, lastName, born), placement, worker, by, openedAt));
        Do(new UpdateMinorProfile(MinorProfile.Empty with
        {
            Description = new PhysicalDescription(150 + random.Next(30), "mince", "bruns", "marron", null),
            Phones = [$"06{random.Next(10000000, 99999999)}"],
            PlacesFrequented = [Places[random.Next(Places.Length)]],
            SocialMedia = [new SocialMediaHandle("Snapchat", $"{firstName.ToLowerInvariant()}{people.Next(100, 999)}")],
            Associates = people.Next(4) == 0 ? [new Associate(Pick(people, Associates), "ami", null, $"07{people.Next(10000, 10400):00000}{people.Next(100):000}")] : [],
            Aliases = people.Next(3) == 0 ? [Pick(people, Aliases)] : [],
        }, by, openedAt.AddHours(2)));

        var policy = new WorryingContext(WorryingCriteria.Defaults, 0, Guid.Empty);
        var t = openedAt.AddDays(3);
        var span = (now - t).TotalHours;
        for (var n = 0; n < episodesPerCase; n++)
        {
            var lastSeen = t.AddHours(random.NextDouble() * span / episodesPerCase);
            if (lastSeen > now.AddHours(-1)) break;
            var episodeId = Guid.CreateVersion7(lastSeen);
            var missingHours = 2 + random.Next(90);
            var stillMissing = n == episodesPerCase - 1 && random.Next(20) == 0;
            Do(new ReportRunaway(episodeId, lastSeen, Places[random.Next(Places.Length)], "Éducateur de nuit", null, "Veste sombre", null, null,
                random.Next(6) == 0 ? RunawayClassification.UnauthorisedAbsence : RunawayClassification.Runaway, ConcernSigns.None, by, lastSeen.AddMinutes(30)),
                policy with { NewAlertId = Guid.CreateVersion7(lastSeen) });
            for (var c = 1; c <= 6 && c * 6 < missingHours; c++)
                Do(new LogContact(episodeId, (ContactParty)random.Next(4), (ContactChannel)random.Next(3), (ContactOutcome)random.Next(3), null, null,
                    lastSeen.AddHours(c * 6), by, lastSeen.AddHours(c * 6)));
            if (stillMissing || lastSeen.AddHours(missingHours) > now) break;
            Do(new ReportSighting(episodeId, Places[random.Next(Places.Length)], "Partenaire de rue", null, lastSeen.AddHours(1), by, lastSeen.AddHours(1)));
            Do(new AddEpisodeInformation(episodeId, "Information d'une camarade", ConcernSigns.None, lastSeen.AddHours(1.5), by, lastSeen.AddHours(1.5)));
            var returnedAt = lastSeen.AddHours(missingHours);
            Do(new RecordReturn(episodeId, returnedAt, (ReturnMode)random.Next(4), "Chez une amie", new SafetyCheck(true, false, false, null), by, returnedAt));
            if (returnedAt.AddHours(72) < now && random.Next(5) > 0)
            {
                var answers = new Dictionary<string, JsonElement>
                {
                    ["whereStayed"] = JsonSerializer.SerializeToElement("Chez une amie"),
                    ["schoolSituation"] = JsonSerializer.SerializeToElement("frequentAbsence"),
                    ["receivedMoneyOrGifts"] = JsonSerializer.SerializeToElement(random.Next(4) == 0),
                };
                var heldAt = returnedAt.AddHours(random.Next(10, 100));
                Do(new RecordReturnInterview(episodeId, 1, answers, ["Référent·e"], null,
                    ReturnInterviewQuestionnaire.Default.RevealedIndicators(answers), heldAt, by, heldAt));
            }
            if (returnedAt.AddDays(4) < now) Do(new CloseEpisode(episodeId, by, returnedAt.AddDays(4)));
            t = returnedAt.AddDays(1);
        }

        var assessedAt = now.AddDays(-random.Next(5, 150));
        ObservedIndicator[] observed = random.Next(3) switch
        {
            0 => [],
            1 => [new("olderPartner", DateOnly.FromDateTime(assessedAt.UtcDateTime).AddDays(-20)), new("isolation", DateOnly.FromDateTime(assessedAt.UtcDateTime))],
            _ => [new("advertisedOnline", DateOnly.FromDateTime(assessedAt.UtcDateTime).AddDays(-10))],
        };
        var score = RiskScoring.Score(RiskIndicatorCatalogue.Default, observed, DateOnly.FromDateTime(assessedAt.UtcDateTime));
        if (state!.MissingEpisodeId is null)
            Do(new AssessRisk(Guid.CreateVersion7(assessedAt), RiskIndicatorCatalogue.Default, observed, score.SuggestedLevel, null, by, assessedAt));
        return events;
    }
}
