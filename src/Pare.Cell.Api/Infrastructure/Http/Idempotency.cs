using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs (and the <c>idempotencyKey</c> field of the console's forms): the same key with the same body returns the original response
/// and writes nothing twice; the same key with another body is a 422.
/// <para>
/// Exactly once, answer included: a request with a key runs in one database transaction that the
/// middleware opens and commits (<see cref="IdempotentRequest.Transaction"/>; every session the
/// request opens writes in it). The key's row is inserted with the command's events, and the
/// answer is stored in that row, sealed, just before the commit. Whatever dies — the process, the
/// connection, the database — either nothing happened, or the write, the key and its answer all
/// did, and a retry with the key gets that answer. A retry racing the original waits for it on the
/// key's unique index, then replays its answer.
/// </para>
/// <para>
/// The answer may carry a minor's data (the opened case): it is kept only sealed
/// (<see cref="IdempotentAnswers"/>, AES-GCM), and deleted with its key after 24 hours.
/// </para>
/// </summary>
public sealed class Idempotency(NpgsqlDataSource dataSource, IHttpContextAccessor accessor, TimeProvider clock, IdempotentAnswers answers)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.idempotent_requests (
            cell_id       text        not null,
            principal     text        not null,
            key           text        not null,
            request_hash  bytea       not null,
            created_at    timestamptz not null,
            answer        bytea,
            primary key (cell_id, principal, key)
        );
        create index if not exists idempotent_requests_by_age on pare.idempotent_requests (created_at);
        alter table pare.idempotent_requests add column if not exists answer bytea;
        """;

    /// <summary>The current request's transaction, when it carries a key: sessions of the request write in it.</summary>
    public NpgsqlTransaction? CurrentTransaction => accessor.HttpContext?.Features.Get<IdempotentRequest>()?.Transaction;

    /// <summary>A session in the cell, writing in the current request's transaction when it has one.</summary>
    public IDocumentSession OpenSession(IDocumentStore store, string cellId)
    {
        if (CurrentTransaction is not { } transaction) return store.LightweightSession(cellId);
        var options = Marten.Services.SessionOptions.ForTransaction(transaction);
        options.TenantId = cellId;
        return store.LightweightSession(options);
    }

    /// <summary>
    /// Queues the key's row into the session's transaction, when the request carries a key. Every
    /// attempt queues it: an attempt undone to its savepoint (a racing writer) takes its row with it.
    /// </summary>
    public void Enlist(IDocumentSession session)
    {
        if (accessor.HttpContext?.Features.Get<IdempotentRequest>() is not { } request) return;
        session.QueueSqlCommand(
            "insert into pare.idempotent_requests (cell_id, principal, key, request_hash, created_at) values (?, ?, ?, ?, ?)",
            request.CellId, request.Principal, request.Key, request.Hash, clock.GetUtcNow());
        request.Enlisted = true;
    }

    internal async Task<StoredRequest?> FindAsync(IdempotentRequest request, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select request_hash, answer from pare.idempotent_requests where cell_id = $1 and principal = $2 and key = $3");
        command.Parameters.Add(new() { Value = request.CellId });
        command.Parameters.Add(new() { Value = request.Principal });
        command.Parameters.Add(new() { Value = request.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new StoredRequest((byte[])reader[0], reader.IsDBNull(1) ? null : answers.Open(request, (byte[])reader[1]));
    }

    /// <summary>Opens the request's transaction: from here to <see cref="CommitAsync"/>, the request's writes are one.</summary>
    internal async Task BeginAsync(IdempotentRequest request, CancellationToken cancellationToken)
    {
        request.Connection = await dataSource.OpenConnectionAsync(cancellationToken);
        request.Transaction = await request.Connection.BeginTransactionAsync(cancellationToken);
    }

    /// <summary>Stores the answer beside the key (when the request wrote anything), then commits the request's writes.</summary>
    internal async Task CommitAsync(IdempotentRequest request, HttpResponse response, byte[] body)
    {
        if (request.Enlisted)
        {
            var answer = new IdempotentAnswer(response.StatusCode, response.ContentType, NullIfEmpty(response.Headers.Location.ToString()),
                NullIfEmpty(response.Headers.ETag.ToString()), body, [.. response.HttpContext.Features.Get<Database.JournaledInRequest>()?.Cases ?? []]);
            await using var command = new NpgsqlCommand(
                "update pare.idempotent_requests set answer = $4 where cell_id = $1 and principal = $2 and key = $3",
                request.Connection, request.Transaction);
            command.Parameters.Add(new() { Value = request.CellId });
            command.Parameters.Add(new() { Value = request.Principal });
            command.Parameters.Add(new() { Value = request.Key });
            command.Parameters.Add(new() { Value = answers.Seal(request, answer) });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        await request.Transaction!.CommitAsync(CancellationToken.None);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    internal sealed record StoredRequest(byte[] Hash, IdempotentAnswer? Answer);
}

/// <summary>The current request's key, body hash and transaction, set by <see cref="IdempotencyMiddleware"/>.</summary>
public sealed class IdempotentRequest(string cellId, string principal, string key, byte[] hash) : IAsyncDisposable
{
    public string CellId { get; } = cellId;
    public string Principal { get; } = principal;
    public string Key { get; } = key;
    public byte[] Hash { get; } = hash;
    public bool Enlisted { get; set; }
    public NpgsqlConnection? Connection { get; set; }
    public NpgsqlTransaction? Transaction { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null) await Transaction.DisposeAsync(); // rolls back unless committed
        if (Connection is not null) await Connection.DisposeAsync();
    }
}

public sealed class IdempotencyMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private static readonly Bilingual KeyReused = new(
        "This Idempotency-Key was already used with a different request body.",
        "Cette Idempotency-Key a déjà servi pour une requête au contenu différent.");
    private static readonly Bilingual InProgress = new(
        "A request with this Idempotency-Key is still being processed: retry in a moment with the same key.",
        "Une requête avec cette Idempotency-Key est en cours : réessayez dans un instant avec la même clé.");
    private static readonly Bilingual KeyTooLong = new(
        $"Idempotency-Key must be 1 to {Idempotency.MaxKeyLength} characters.",
        $"Idempotency-Key doit compter de 1 à {Idempotency.MaxKeyLength} caractères.");

    /// <summary>
    /// Test-only fault injection (<c>Testing:KillAfterCommit</c>): the process kills itself once a
    /// request's writes and answer are committed, before the answer leaves — the crash the
    /// stored answer exists for. Never set outside tests.
    /// </summary>
    private readonly bool _killAfterCommit = configuration.GetValue("Testing:KillAfterCommit", false);

    /// <summary>The console's forms carry their key in this field: a browser form cannot send a header.</summary>
    public const string FormField = "idempotencyKey";

    public async Task InvokeAsync(HttpContext context, Idempotency idempotency, IProblemDetailsService problems, Database.AccessJournal journal, CurrentUser user)
    {
        var cell = context.User.FindFirst(Claims.Cell)?.Value;
        var principal = context.User.FindFirst(Claims.Subject)?.Value;
        if (!HttpMethods.IsPost(context.Request.Method) || cell is null || principal is null)
        {
            await next(context);
            return;
        }
        var consoleForm = context.Request.IsConsole() && context.Request.HasFormContentType;
        var key = consoleForm ? await FormKeyAsync(context.Request) : context.Request.Headers[Idempotency.Header].ToString();
        if (key.Length == 0)
        {
            await next(context);
            return;
        }
        if (key.Length > Idempotency.MaxKeyLength)
        {
            await WriteProblemAsync(context, problems, Problems.Invalid(new Dictionary<string, string[]> { [Idempotency.Header] = [KeyTooLong.ToString()] }));
            return;
        }

        await using var request = new IdempotentRequest(cell, principal, key, await HashAsync(context.Request));
        if (await idempotency.FindAsync(request, context.RequestAborted) is { } stored)
        {
            await ReplayAsync(context, problems, request, stored, journal, user);
            return;
        }

        await idempotency.BeginAsync(request, context.RequestAborted);
        context.Features.Set(request);
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsKeyCollision(e))
        {
            // The same key committed first, in a concurrent request we waited for: its answer is ours.
            context.Response.Body = original;
            context.Features.Set<IdempotentRequest>(null);
            await request.Transaction!.RollbackAsync(CancellationToken.None);
            if (await idempotency.FindAsync(request, CancellationToken.None) is { } first) await ReplayAsync(context, problems, request, first, journal, user);
            else await WriteProblemAsync(context, problems, new ProblemDetails { Status = 409, Detail = InProgress.ToString(), Extensions = { [Problems.CodeMember] = ProblemCodes.IdempotentRequestPending } });
            return;
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        await idempotency.CommitAsync(request, context.Response, body);
        context.Features.Set<IdempotentRequest>(null);
        if (_killAfterCommit && request.Enlisted) System.Diagnostics.Process.GetCurrentProcess().Kill();
        if (!request.Enlisted && consoleForm && await idempotency.FindAsync(request, context.RequestAborted) is { Answer: not null } committed)
        {
            // The same form, sent again while the first was being committed: this one was decided on the state the
            // first left (a refusal, "already missing") and recorded nothing. Answer what the first answered.
            context.Response.Clear();
            await ReplayAsync(context, problems, request, committed, journal, user);
            return;
        }
        await original.WriteAsync(body, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IProblemDetailsService problems, IdempotentRequest request, Idempotency.StoredRequest stored,
        Database.AccessJournal journal, CurrentUser user)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.Hash, request.Hash))
        {
            await WriteProblemAsync(context, problems, new ProblemDetails { Status = 422, Detail = KeyReused.ToString(), Extensions = { [Problems.CodeMember] = ProblemCodes.IdempotencyKeyReused } });
            return;
        }
        if (stored.Answer is not { } answer)
        {
            // Only keys stored before answers were committed with the write can be here.
            await WriteProblemAsync(context, problems, new ProblemDetails { Status = 409, Detail = InProgress.ToString(), Extensions = { [Problems.CodeMember] = ProblemCodes.IdempotentRequestPending } });
            return;
        }
        if ((answer.JournaledCases ?? CaseNamedBy(answer.Location)) is { Length: > 0 } shown)
            await journal.RecordAsync(user, shown, Database.JournalActions.Replay, CancellationToken.None);
        context.Response.StatusCode = answer.Status;
        context.Response.Headers[Idempotency.ReplayedHeader] = "true";
        if (answer.ContentType is not null) context.Response.ContentType = answer.ContentType;
        if (answer.Location is not null) context.Response.Headers.Location = answer.Location;
        if (answer.ETag is not null) context.Response.Headers.ETag = answer.ETag;
        if (answer.Body is { Length: > 0 } body) await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// An answer stored before answers listed the cases they showed: the case its Location names
    /// (an opening's answer, the one that carries a minor's data), journaled on replay all the same.
    /// </summary>
    private static Guid[] CaseNamedBy(string? location) =>
        location is not null && location.StartsWith("/api/v1/cases/", StringComparison.Ordinal)
            && Guid.TryParse(location["/api/v1/cases/".Length..].Split('/')[0], out var caseId) ? [caseId] : [];

    /// <summary>The hidden field of a console form (the body is kept readable for the hash and the page).</summary>
    private static async Task<string> FormKeyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return form[FormField].ToString();
    }

    private static bool IsKeyCollision(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "idempotent_requests" }) return true;
        return false;
    }

    /// <summary>Method, path and body: the same key on another resource is another request.</summary>
    private static async Task<byte[]> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private static async Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
