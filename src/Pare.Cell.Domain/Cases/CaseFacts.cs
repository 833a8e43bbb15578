namespace Pare.Cell.Domain.Cases;

/// <summary>
/// What the case's history says at a given moment: derived, never stored, since most of it
/// depends on the time of asking (an open episode grows longer while nobody writes).
/// </summary>
public sealed record CaseFacts(
    int EpisodeCount,
    int EpisodesInLast30Days,
    TimeSpan TotalTimeMissing,
    TimeSpan LongestTimeMissing,
    EpisodeSummary? CurrentEpisode,
    TimeSpan? CurrentEpisodeDuration,
    bool RepeatedRunaways)
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(30);
    public const int RepeatedRunawayThreshold = 3;

    public static CaseFacts Of(Case state, DateTimeOffset now)
    {
        var episodes = state.Episodes;
        var recent = episodes.Count(e => e.LastSeenAt > now - RecentWindow && e.LastSeenAt <= now);
        var durations = episodes.Select(e => e.MissingFor(now)).ToList();
        var current = state.MissingEpisodeId is { } id ? state.Episode(id) : null;
        return new CaseFacts(
            episodes.Count,
            recent,
            durations.Aggregate(TimeSpan.Zero, (a, b) => a + b),
            durations.Count == 0 ? TimeSpan.Zero : durations.Max(),
            current,
            current?.MissingFor(now),
            recent >= RepeatedRunawayThreshold);
    }
}
