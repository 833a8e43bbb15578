using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Assessments;

public enum IndicatorCategory
{
    /// <summary>Background vulnerability: counts whenever it was observed.</summary>
    Vulnerability,
    /// <summary>Counts when observed within the recent window.</summary>
    Moderate,
    /// <summary>Weighs heavily when recent, a little when older.</summary>
    Significant,
    /// <summary>Any one suggests "in situation", whatever the score.</summary>
    Confirming,
}

/// <summary>
/// One indicator and how it weighs: <see cref="RecentPoints"/> when observed within
/// <see cref="RecentMonths"/>, <see cref="OlderPoints"/> when within <see cref="OlderMonths"/>,
/// nothing beyond. A null window means "whenever observed".
/// </summary>
public sealed record RiskIndicator(string Key, IndicatorCategory Category, Bilingual Label, int RecentPoints, int? RecentMonths, int OlderPoints, int? OlderMonths);

/// <summary>
/// The SERAF-style indicator list (DOMAIN.md §4), versioned: an assessment names the version it
/// used, and a new version never changes how an old assessment reads.
/// </summary>
public sealed record RiskIndicatorCatalogue(int Version, IReadOnlyList<RiskIndicator> Indicators)
{
    public const int AtRiskScore = 6;

    public RiskIndicator? Find(string key) => Indicators.FirstOrDefault(i => i.Key == key);

    public static RiskIndicatorCatalogue Default { get; } = new(1,
    [
        Vulnerability("neglect", "Neglect", "Négligence"),
        Vulnerability("abuse", "Physical or sexual abuse", "Maltraitance physique ou sexuelle"),
        Vulnerability("familyBreakdown", "Family breakdown", "Rupture familiale"),
        Vulnerability("domesticViolence", "Domestic violence", "Violences conjugales dans la famille"),
        Vulnerability("familySubstanceOrMentalIllness", "Substance misuse or mental illness in the family", "Addictions ou troubles psychiques dans la famille"),
        Vulnerability("lowSelfEsteem", "Low self-esteem", "Faible estime de soi"),
        Vulnerability("unstableAccommodation", "Unstable accommodation", "Hébergement instable"),
        Vulnerability("isolation", "Isolation", "Isolement"),
        Vulnerability("noTrustedAdult", "No trusted adult", "Aucun adulte de confiance"),

        Moderate("stayingOutLate", "Staying out late or overnight", "Sorties tardives ou nuits dehors"),
        Moderate("unknownCallers", "Unknown callers or contacts", "Appels ou contacts inconnus"),
        Moderate("worryingPhoneOrInternetUse", "Worrying phone or internet use", "Usage inquiétant du téléphone ou d'internet"),
        Moderate("selfHarm", "Self-harm", "Automutilation"),
        Moderate("schoolExclusionOrAbsence", "School exclusion or absence", "Exclusion ou absentéisme scolaire"),
        Moderate("withdrawnDisclosure", "A disclosure later withdrawn", "Révélation puis rétractation"),
        Moderate("sexuallyTransmittedInfection", "Sexually transmitted infection", "Infection sexuellement transmissible"),
        Moderate("peersExploited", "Peers known to be exploited", "Pairs connus pour être exploités"),
        Moderate("drugs", "Drugs", "Drogues"),
        Moderate("alcohol", "Alcohol", "Alcool"),

        Significant("unexplainedMoneyOrGifts", "Unexplained money, clothes or gifts", "Argent, vêtements ou cadeaux inexpliqués"),
        Significant("severalPhones", "Several phones", "Plusieurs téléphones"),
        Significant("olderPartner", "An older partner", "Un ou une partenaire plus âgé·e"),
        Significant("hotelOrShortLetStays", "Stays in hotels or short-let flats", "Séjours à l'hôtel ou en location de courte durée"),
        Significant("pickedUpByUnknownVehicles", "Picked up by unknown vehicles", "Pris·e en charge par des véhicules inconnus"),
        Significant("frequentRunaways", "Frequent runaways", "Fugues fréquentes"),

        Confirming("sexualActsExchanged", "Sexual acts exchanged for money, goods, housing or drugs", "Actes sexuels en échange d'argent, de biens, d'un hébergement ou de drogues"),
        Confirming("advertisedOnline", "Advertised online", "Annonces en ligne"),
        Confirming("foundInProstitutionSetting", "Found in a prostitution setting", "Trouvé·e dans un lieu de prostitution"),
    ]);

    private static RiskIndicator Vulnerability(string key, string en, string fr) => new(key, IndicatorCategory.Vulnerability, new(en, fr), 1, null, 0, null);
    private static RiskIndicator Moderate(string key, string en, string fr) => new(key, IndicatorCategory.Moderate, new(en, fr), 1, 6, 0, null);
    private static RiskIndicator Significant(string key, string en, string fr) => new(key, IndicatorCategory.Significant, new(en, fr), 5, 6, 1, 12);
    private static RiskIndicator Confirming(string key, string en, string fr) => new(key, IndicatorCategory.Confirming, new(en, fr), 0, 12, 0, null);
}
