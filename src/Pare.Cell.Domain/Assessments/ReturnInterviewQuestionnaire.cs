using System.Text.Json;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Assessments;

public enum AnswerType
{
    Text,
    YesNo,
    Choice,
    MultipleChoice,
    Number,
}

public sealed record QuestionOption(string Key, Bilingual Label);

/// <param name="IndicatorWhenYes">A yes/no question whose "yes" reveals this risk indicator (suggests a reassessment).</param>
public sealed record Question(string Key, Bilingual Text, AnswerType Type, bool Required, IReadOnlyList<QuestionOption> Options, string? IndicatorWhenYes = null);

public sealed record QuestionnaireSection(string Key, Bilingual Title, IReadOnlyList<Question> Questions);

/// <summary>A problem with one answer, named by its question key.</summary>
public sealed record AnswerProblem(string Question, Bilingual Problem);

/// <summary>
/// The return interview (entretien de retour), versioned: an interview names the version it was
/// held under and is read back with that version's questions, whatever was published since.
/// </summary>
public sealed record ReturnInterviewQuestionnaire(int Version, IReadOnlyList<QuestionnaireSection> Sections)
{
    public IEnumerable<Question> Questions => Sections.SelectMany(s => s.Questions);

    public Question? Find(string key) => Questions.FirstOrDefault(q => q.Key == key);

    /// <summary>Answers checked against this version: unknown questions, wrong types, unknown options, missing required answers.</summary>
    public IReadOnlyList<AnswerProblem> Check(IReadOnlyDictionary<string, JsonElement> answers)
    {
        var problems = new List<AnswerProblem>();
        foreach (var (key, answer) in answers)
        {
            var question = Find(key);
            if (question is null)
            {
                problems.Add(new(key, new("No such question in this questionnaire version.", "Cette question n'existe pas dans cette version du questionnaire.")));
                continue;
            }
            if (!Fits(question, answer)) problems.Add(new(key, Expected(question)));
        }
        foreach (var missing in Questions.Where(q => q.Required && !answers.ContainsKey(q.Key)))
            problems.Add(new(missing.Key, new("This question needs an answer.", "Cette question demande une réponse.")));
        return problems;
    }

    /// <summary>The risk indicators the answers reveal ("yes" to a question tied to an indicator).</summary>
    public IReadOnlyList<string> RevealedIndicators(IReadOnlyDictionary<string, JsonElement> answers) =>
        [.. Questions.Where(q => q.IndicatorWhenYes is not null && answers.TryGetValue(q.Key, out var a) && a.ValueKind == JsonValueKind.True)
            .Select(q => q.IndicatorWhenYes!).Distinct()];

    private static bool Fits(Question question, JsonElement answer) => question.Type switch
    {
        AnswerType.Text => answer.ValueKind == JsonValueKind.String && answer.GetString()!.Length <= 4000,
        AnswerType.YesNo => answer.ValueKind is JsonValueKind.True or JsonValueKind.False,
        AnswerType.Number => answer.ValueKind == JsonValueKind.Number,
        AnswerType.Choice => answer.ValueKind == JsonValueKind.String && question.Options.Any(o => o.Key == answer.GetString()),
        AnswerType.MultipleChoice => answer.ValueKind == JsonValueKind.Array
            && answer.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && question.Options.Any(o => o.Key == e.GetString())),
        _ => false,
    };

    private static Bilingual Expected(Question question) => question.Type switch
    {
        AnswerType.Text => new("Expected text (at most 4000 characters).", "Texte attendu (4000 caractères au plus)."),
        AnswerType.YesNo => new("Expected true or false.", "Réponse attendue : true ou false."),
        AnswerType.Number => new("Expected a number.", "Nombre attendu."),
        _ => new($"Expected one of: {string.Join(", ", question.Options.Select(o => o.Key))}.", $"Réponse attendue parmi : {string.Join(", ", question.Options.Select(o => o.Key))}."),
    };

    public static ReturnInterviewQuestionnaire Default { get; } = new(1,
    [
        new("whereAndWithWhom", new("Where and with whom", "Où et avec qui"),
        [
            new("whereStayed", new("Where did you stay?", "Où as-tu dormi ou passé ton temps ?"), AnswerType.Text, true, []),
            new("withWhom", new("Who were you with?", "Avec qui étais-tu ?"), AnswerType.Text, false, []),
            new("stayedInHotelOrFlat", new("Did you stay in a hotel or a rented flat?", "As-tu séjourné à l'hôtel ou dans un appartement loué ?"), AnswerType.YesNo, false, [], "hotelOrShortLetStays"),
            new("pickedUpByVehicle", new("Did someone you don't know pick you up by car?", "Quelqu'un que tu ne connais pas est-il venu te chercher en voiture ?"), AnswerType.YesNo, false, [], "pickedUpByUnknownVehicles"),
        ]),
        new("schooling", new("Schooling", "Scolarité"),
        [
            new("schoolSituation", new("How is school going?", "Comment se passe l'école ?"), AnswerType.Choice, true,
                [new("attending", new("Attending", "Scolarisé·e et présent·e")), new("frequentAbsence", new("Frequent absence", "Absences fréquentes")),
                 new("excluded", new("Excluded", "Exclu·e")), new("notEnrolled", new("Not enrolled", "Non scolarisé·e"))]),
        ]),
        new("health", new("Health", "Santé"),
        [
            new("healthConcerns", new("Any health concern since you left?", "Un souci de santé depuis ton départ ?"), AnswerType.Text, false, []),
            new("usedDrugsOrAlcohol", new("Did you take drugs or alcohol?", "As-tu consommé de la drogue ou de l'alcool ?"), AnswerType.YesNo, false, [], "drugs"),
            new("sexualHealthNeeds", new("Do you need to see someone about sexual health?", "As-tu besoin de voir quelqu'un pour ta santé sexuelle ?"), AnswerType.YesNo, false, []),
        ]),
        new("family", new("Family", "Famille"),
        [
            new("familyRelations", new("How are things at home or in placement?", "Comment ça se passe à la maison ou au foyer ?"), AnswerType.Text, false, []),
            new("reasonsForLeaving", new("Why did you leave?", "Pourquoi es-tu parti·e ?"), AnswerType.Text, false, []),
        ]),
        new("relationshipToBody", new("Relationship to the body", "Rapport au corps"),
        [
            new("selfImage", new("How do you feel about yourself?", "Comment te sens-tu par rapport à toi-même ?"), AnswerType.Text, false, []),
            new("selfHarm", new("Have you hurt yourself?", "T'es-tu fait du mal ?"), AnswerType.YesNo, false, [], "selfHarm"),
        ]),
        new("moneyAndGifts", new("Money and gifts", "Argent et cadeaux"),
        [
            new("receivedMoneyOrGifts", new("Did someone give you money, clothes or gifts?", "Quelqu'un t'a-t-il donné de l'argent, des vêtements ou des cadeaux ?"), AnswerType.YesNo, true, [], "unexplainedMoneyOrGifts"),
            new("askedForSomethingInReturn", new("Did someone ask for something in return?", "Quelqu'un t'a-t-il demandé quelque chose en échange ?"), AnswerType.YesNo, false, [], "sexualActsExchanged"),
        ]),
        new("phonesAndOnline", new("Phones and online contacts", "Téléphones et contacts en ligne"),
        [
            new("severalPhones", new("Do you have more than one phone?", "As-tu plusieurs téléphones ?"), AnswerType.YesNo, false, [], "severalPhones"),
            new("newOnlineContacts", new("Did you meet new people online?", "As-tu rencontré de nouvelles personnes en ligne ?"), AnswerType.YesNo, false, [], "unknownCallers"),
            new("platforms", new("Which apps do you use?", "Quelles applications utilises-tu ?"), AnswerType.MultipleChoice, false,
                [new("snapchat", new("Snapchat", "Snapchat")), new("instagram", new("Instagram", "Instagram")), new("tiktok", new("TikTok", "TikTok")),
                 new("telegram", new("Telegram", "Telegram")), new("other", new("Other", "Autre"))]),
        ]),
        new("whatWouldHelp", new("What would help", "Ce qui aiderait"),
        [
            new("whatWouldHelp", new("What would help you now?", "Qu'est-ce qui t'aiderait maintenant ?"), AnswerType.Text, false, []),
        ]),
    ]);
}
