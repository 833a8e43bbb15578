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
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.AutoCreateSchemaObjects = AutoCreate.None; // SchemaMigrator owns the schema
        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Policies.AllDocumentsAreMultiTenanted();
        options.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CellPolicyProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<AlertViewProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<Referrals.ReferralProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Partners.Partner>();
        // Columns beside the JSON, for the head's caseload: an aggregate over 10,000 cases
        // reads these, never the documents.
        options.Schema.For<Case>()
            .Duplicate(c => c.AssignedWorkerId)
            .Duplicate(c => c.Status)
            .Duplicate(c => c.MissingEpisodeId!)
            .Duplicate(c => c.RiskLevel!)
            .Duplicate(c => c.LastActivityAt)
            .Duplicate(c => c.OpenOverdueReminders);
        options.Schema.For<PublishedQuestionnaire>();
        options.Schema.For<PublishedCatalogue>();
        return options;
    }

    public static IServiceCollection AddPareEventStore(this IServiceCollection services)
    {
        services.AddMarten(sp => Options(sp.GetRequiredService<NpgsqlDataSource>()))
            .BuildSessionsWith<CellSessionFactory>(ServiceLifetime.Scoped);
        return services;
    }
}

/// <summary>Sessions for a request are opened in the caller's cell, never another.</summary>
public sealed class CellSessionFactory(IDocumentStore store, CurrentUser user) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(user.CellId);
    public IDocumentSession OpenSession() => store.LightweightSession(user.CellId);
}
