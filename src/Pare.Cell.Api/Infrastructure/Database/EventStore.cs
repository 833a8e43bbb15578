using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Assessments;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Weasel.Core;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Marten: the event store and documents, one PostgreSQL schema (<c>pare</c>). Conjoined
/// tenancy with the cell as tenant: every row carries its cell id, and every session a request
/// opens is bound to the caller's cell, so a query can never see another cell's rows.
/// </summary>
public static class EventStore
{
    public const string Schema = "pare";

    /// <summary>The store's whole configuration; the bench and the demo-data generator use the same.</summary>
    public static StoreOptions Options(NpgsqlDataSource dataSource)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        options.DatabaseSchemaName = Schema;
        // Absent, not null: a case snapshot is read and rewritten on every command, and its empty
        // members (no closure, no risk level yet…) took a one-episode case past the 2 kB at which
        // PostgreSQL compresses a row, on every write. A missing member reads as null, in .NET as
        // in SQL (`data->>'x'`).
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            json => json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        options.AutoCreateSchemaObjects = AutoCreate.None; // SchemaMigrator owns the schema
        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Policies.AllDocumentsAreMultiTenanted();
        options.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CellPolicyProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<OnCall.OnCallRotaProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<AlertViewProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<Referrals.ReferralProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add(new Search.CaseIndexProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Partners.Partner>();
        // Columns beside the JSON, for the head's caseload and the case lists: an aggregate over
        // 10,000 cases reads these, never the documents. Without Marten's one index per column
        // (Duplicate() always adds one): the case's indexes are SchemaMigrator's, and none holds a
        // column that every command changes, so rewriting a case after a contact is a HOT update
        // that touches no index at all.
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(Case)) return;
            foreach (var member in CaseColumns) mapping.DuplicateField(member);
        });
        AddRetentionMasking(options);
        options.Schema.For<PublishedQuestionnaire>();
        options.Schema.For<PublishedCatalogue>();
        return options;
    }

    private static readonly string[] CaseColumns =
    [
        nameof(Case.AssignedWorkerId), nameof(Case.Status), nameof(Case.MissingEpisodeId),
        nameof(Case.RiskLevel), nameof(Case.LastActivityAt), nameof(Case.OpenOverdueReminders),
    ];

    /// <summary>What masking leaves of each event (see <see cref="Domain.Retention.PersonalData"/>).</summary>
    private static void AddRetentionMasking(StoreOptions options)
    {
        var events = options.Events;
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.CaseOpened>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.PlacementChanged>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.MinorProfileUpdated>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.GuardianContactsUpdated>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.WorkerAssigned>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.CaseClosed>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.CaseReopened>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Cases.EntryCorrected>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.RunawayReported>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.PastEpisodeRecorded>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.EpisodeContactLogged>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.SightingReported>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.EpisodeInformationAdded>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Episodes.ReturnRecorded>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Alerts.EpisodeBecameWorrying>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Alerts.EpisodeClassificationLowered>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Assessments.ReturnInterviewRecorded>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Assessments.ReturnInterviewNotHeld>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Assessments.RiskAssessed>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Reminders.ReminderSnoozed>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Reminders.CaseReviewed>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralDrafted>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralSharingGroundStated>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralDeclined>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralProgressUpdated>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralCompleted>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralCancelled>(Domain.Retention.PersonalData.Mask);
        events.AddMaskingRuleForProtectedInformation<Domain.Referrals.ReferralRevoked>(Domain.Retention.PersonalData.Mask);
    }

    public static IServiceCollection AddPareEventStore(this IServiceCollection services)
    {
        services.AddMarten(sp =>
            {
                var options = Options(sp.GetRequiredService<NpgsqlDataSource>());
                options.Logger(new Logging.MartenLogs(sp.GetRequiredService<ILogger<IDocumentStore>>()));
                return options;
            })
            .BuildSessionsWith<CellSessionFactory>(ServiceLifetime.Scoped);
        return services;
    }
}

/// <summary>
/// Sessions for a request are opened in the caller's cell, never another; a request with an
/// <c>Idempotency-Key</c> writes in its own transaction (<see cref="Http.Idempotency"/>).
/// </summary>
public sealed class CellSessionFactory(IDocumentStore store, CurrentUser user, Http.Idempotency idempotency) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(user.CellId);
    public IDocumentSession OpenSession() => idempotency.OpenSession(store, user.CellId);
}
