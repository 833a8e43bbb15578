using Marten;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Assessments;

/// <summary>A questionnaire version a cell published (version 1 is built in).</summary>
public sealed class PublishedQuestionnaire
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public ReturnInterviewQuestionnaire Definition { get; set; } = ReturnInterviewQuestionnaire.Default;
    public DateTimeOffset PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
}

/// <summary>A risk-indicator catalogue version a cell published (version 1 is built in).</summary>
public sealed class PublishedCatalogue
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public RiskIndicatorCatalogue Definition { get; set; } = RiskIndicatorCatalogue.Default;
    public DateTimeOffset PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
}

/// <summary>
/// Versions are immutable: publishing adds the next version (inserted, never overwritten, so two
/// heads publishing at once cannot both become "v2"), and an answer or assessment always reads
/// with the version it names.
/// </summary>
public static class AssessmentDefinitions
{
    public static async Task<ReturnInterviewQuestionnaire?> QuestionnaireAsync(IQuerySession session, int? version, CancellationToken cancellationToken)
    {
        if (version == 1) return ReturnInterviewQuestionnaire.Default;
        if (version is { } v) return (await session.LoadAsync<PublishedQuestionnaire>($"v{v}", cancellationToken))?.Definition;
        var latest = await session.Query<PublishedQuestionnaire>().OrderByDescending(q => q.Version).FirstOrDefaultAsync(cancellationToken);
        return latest?.Definition ?? ReturnInterviewQuestionnaire.Default;
    }

    public static async Task<RiskIndicatorCatalogue?> CatalogueAsync(IQuerySession session, int? version, CancellationToken cancellationToken)
    {
        if (version == 1) return RiskIndicatorCatalogue.Default;
        if (version is { } v) return (await session.LoadAsync<PublishedCatalogue>($"v{v}", cancellationToken))?.Definition;
        var latest = await session.Query<PublishedCatalogue>().OrderByDescending(q => q.Version).FirstOrDefaultAsync(cancellationToken);
        return latest?.Definition ?? RiskIndicatorCatalogue.Default;
    }
}
