using System.Diagnostics.Metrics;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Infrastructure.Telemetry;

/// <summary>
/// The product's own instruments (meter <c>Pare.Cell</c>). Labels are use-case names, kinds,
/// channels, outcomes and journal actions: small, fixed sets, never a person, never a free text.
/// In Prometheus, dots become underscores and units a suffix (<c>pare_alert_escalations_total</c>).
/// </summary>
public static class PareMetrics
{
    public const string MeterName = "Pare.Cell";
    public const string AlertDeliveryLatencyName = "pare.alert.delivery.latency";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> UseCaseDuration = Meter.CreateHistogram<double>(
        "pare.use_case.duration", "s", "Time to handle a use case (command or query), by name and outcome.");

    private static readonly Counter<long> EscalationsCounter = Meter.CreateCounter<long>(
        "pare.alert.escalations", "{alert}", "Prosecutor alerts not delivered within the cell's deadline, escalated to the head.");

    private static readonly Counter<long> OverdueRemindersCounter = Meter.CreateCounter<long>(
        "pare.reminders.overdue", "{reminder}", "Reminders found overdue, and overdue reminders escalated to the head (stage).");

    private static readonly Counter<long> JournalWritesCounter = Meter.CreateCounter<long>(
        "pare.journal.writes", "{entry}", "Access-journal entries written, by action.");

    private static readonly Counter<long> CaseEventsCounter = Meter.CreateCounter<long>(
        "pare.case.events", "{event}", "Events appended to case streams, by type.");

    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(
        "pare.job.duration", "s", "Runs of the recurring jobs, by job and outcome.");

    /// <summary>Each process normally runs one host; a test process runs several, and any one cut off shows.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, int> DatabaseProbes = new();

    internal static readonly ObservableGauge<int> DatabaseUp = Meter.CreateObservableGauge(
        "pare.database.up", () => DatabaseProbes.IsEmpty ? 1 : DatabaseProbes.Values.Min(),
        description: "1 when PostgreSQL answered the last probe (every 10 s), else 0.");

    public static void DatabaseAnswered(object probe, bool up) => DatabaseProbes[probe] = up ? 1 : 0;

    public static void DatabaseProbeStopped(object probe) => DatabaseProbes.TryRemove(probe, out _);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<TimeSpan>> Dispatchers = new();

    internal static readonly ObservableGauge<double> DispatcherHeartbeatAge = Meter.CreateObservableGauge(
        "pare.dispatcher.heartbeat.age", ObserveDispatchers, "s", "Seconds since the alert dispatcher of this process last beat.");

    private static IEnumerable<Measurement<double>> ObserveDispatchers()
    {
        // Only a process that runs a dispatcher reports one: absent elsewhere (the API role).
        if (Dispatchers.IsEmpty) yield break;
        yield return new(Dispatchers.Values.Max(age => age().TotalSeconds));
    }

    public static void DispatcherStarted(object dispatcher, Func<TimeSpan> age) => Dispatchers[dispatcher] = age;

    public static void DispatcherStopped(object dispatcher) => Dispatchers.TryRemove(dispatcher, out _);

    private static volatile OutboxSample _outbox = new([], 0);

    internal static readonly ObservableGauge<long> OutboxDepth = Meter.CreateObservableGauge(
        "pare.outbox.depth", () => _outbox.Depth.Select(d => new Measurement<long>(d.Count, new("kind", d.Kind), new("channel", d.Channel))),
        "{message}", "Undelivered outbox rows by lane (kind and channel), as last sampled by a job server.");

    internal static readonly ObservableGauge<double> OldestUndeliveredAlertAge = Meter.CreateObservableGauge(
        "pare.outbox.oldest_undelivered_alert.age", () => _outbox.OldestAlertAgeSeconds, "s",
        "Age of the oldest prosecutor alert not yet delivered (0 when none), as last sampled by a job server.");

    public static void OutboxSampled(OutboxSample sample) => _outbox = sample;

    public static void UseCaseHandled(string useCase, string kind, string outcome, TimeSpan elapsed) =>
        UseCaseDuration.Record(elapsed.TotalSeconds, new("use_case", useCase), new("kind", kind), new("outcome", outcome));

    public static void JournalWritten(string action, long entries) =>
        JournalWritesCounter.Add(entries, new KeyValuePair<string, object?>("action", action));

    public static void JobRan(string job, bool succeeded, TimeSpan elapsed) =>
        JobDuration.Record(elapsed.TotalSeconds, new("job", job), new("outcome", succeeded ? "ok" : "failed"));

    /// <summary>Counts what a committed case write recorded: every event by type, and the ones alarms watch.</summary>
    public static void CaseEventsWritten(IReadOnlyList<ICaseEvent> events)
    {
        foreach (var e in events)
        {
            CaseEventsCounter.Add(1, new KeyValuePair<string, object?>("type", e.GetType().Name));
            switch (e)
            {
                case ProsecutorAlertEscalated:
                    EscalationsCounter.Add(1);
                    break;
                case ReminderOverdue:
                    OverdueRemindersCounter.Add(1, new KeyValuePair<string, object?>("stage", "overdue"));
                    break;
                case ReminderEscalated:
                    OverdueRemindersCounter.Add(1, new KeyValuePair<string, object?>("stage", "escalated"));
                    break;
            }
        }
    }
}

public sealed record OutboxLane(string Kind, string Channel, long Count);

public sealed record OutboxSample(IReadOnlyList<OutboxLane> Depth, double OldestAlertAgeSeconds);
