using Pare.Cell.Api.Infrastructure.OpenApi;
using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// The access journal for heads and admins: who read which case and when, by case or by user; and
/// the readers who opened more distinct cases in the last hour than the threshold set for the
/// deployment (<c>AccessJournal:DistinctCasesPerHour</c>, 30 by default).
/// </summary>
public static class AccessJournalApi
{
    /// <param name="GrantedBy">A partner client's read: who issued the client's secret.</param>
    public sealed record JournalEntry(string UserId, Guid CaseId, string Action, DateTimeOffset OccurredAt, string? GrantedBy = null);

    public sealed record HeavyReader(string UserId, int DistinctCases, DateTimeOffset Since);

    public const int MaxLimit = 1000;

    /// <param name="CaseId">Who read this case.</param>
    /// <param name="UserId">What this user (or partner client) read.</param>
    /// <param name="Limit">Entries to return, newest first (200 when absent).</param>
    public sealed record JournalQuery(Guid? CaseId, string? UserId, int? Limit);

    public sealed class JournalQueryValidator : AbstractValidator<JournalQuery>
    {
        public JournalQueryValidator()
        {
            RuleFor(q => q.CaseId).NotNull().When(q => q.UserId is null, "`userId` is absent")
                .WithMessage(_ => new Bilingual("Give caseId, userId or both.", "Indiquez caseId, userId ou les deux.").ToString());
            RuleFor(q => q.UserId).MaximumLength(200);
            RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit)
                .WithMessage(_ => new Bilingual($"From 1 to {MaxLimit}.", $"De 1 à {MaxLimit}.").ToString());
        }
    }

    public static IEndpointRouteBuilder MapAccessJournalApi(this IEndpointRouteBuilder app)
    {
        var journal = app.MapGroup("/api/v1/access-journal").WithTag("Access journal", "Who read which minor's data and when (append-only), by case or by user, and who read unusually many cases in the last hour.").RequireAuthorization(AccessPolicies.PolicyEditor);

        journal.MapGet("/", async (NpgsqlDataSource dataSource, CurrentUser user, [AsParameters] JournalQuery query, CancellationToken ct) =>
            {
                var (caseId, userId, limit) = (query.CaseId, query.UserId, query.Limit);
                await using var command = dataSource.CreateCommand("""
                    select user_id, case_id, action, occurred_at, granted_by from audit.access_journal
                    where cell_id = $1 and ($2::uuid is null or case_id = $2) and ($3::text is null or user_id = $3)
                    order by occurred_at desc, id desc limit $4
                    """);
                command.Parameters.Add(new() { Value = user.CellId });
                command.Parameters.Add(new() { Value = (object?)caseId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                command.Parameters.Add(new() { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                command.Parameters.Add(new() { Value = limit ?? 200 });
                var entries = new List<JournalEntry>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    entries.Add(new JournalEntry(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4)));
                return TypedResults.Ok(entries);
            })
            .AddEndpointFilter<Http.ValidateBody<JournalQuery>>()
            .WithName("QueryAccessJournal").WithSummary("Who read what, by case (`caseId`) or by user (`userId`), newest first (head, admin)");

        journal.MapGet("/heavy-readers", async (NpgsqlDataSource dataSource, CurrentUser user, TimeProvider clock, IConfiguration configuration, CancellationToken ct) =>
            {
                var threshold = configuration.GetValue("AccessJournal:DistinctCasesPerHour", 30);
                var since = clock.GetUtcNow().AddHours(-1);
                await using var command = dataSource.CreateCommand("""
                    select user_id, count(distinct case_id) from audit.access_journal
                    where cell_id = $1 and occurred_at >= $2 group by user_id having count(distinct case_id) > $3 order by 2 desc
                    """);
                command.Parameters.Add(new() { Value = user.CellId });
                command.Parameters.Add(new() { Value = since });
                command.Parameters.Add(new() { Value = (long)threshold });
                var readers = new List<HeavyReader>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) readers.Add(new HeavyReader(reader.GetString(0), (int)reader.GetInt64(1), since));
                return TypedResults.Ok(readers);
            })
            .WithName("HeavyReaders").WithSummary("Users who read more distinct cases in the last hour than the threshold (head, admin)");
        return app;
    }
}
