using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs: the same key with the same body returns the original response
/// and writes nothing twice; the same key with another body is a 422.
/// <para>
/// Exactly once: the key's row is inserted in the same transaction as the command's events
/// (<see cref="Enlist"/>), so a retry racing the original, or arriving after a crash, can never
/// append twice: either the first transaction committed and the key exists, or neither did.
/// The response is stored just after the commit, for replay.
/// </para>
/// </summary>
public sealed class Idempotency(NpgsqlDataSource dataSource, IHttpContextAccessor accessor, TimeProvider clock)
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
            status        int,
            content_type  text,
            location      text,
            etag          text,
            body          bytea,
            primary key (cell_id, principal, key)
        );
        create index if not exists idempotent_requests_by_age on pare.idempotent_requests (created_at);
        """;

    /// <summary>Queues the key's row into the session's transaction, when the request carries a key.</summary>
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
            "select request_hash, status, content_type, location, etag, body from pare.idempotent_requests where cell_id = $1 and principal = $2 and key = $3");
        command.Parameters.Add(new() { Value = request.CellId });
        command.Parameters.Add(new() { Value = request.Principal });
        command.Parameters.Add(new() { Value = request.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new StoredRequest(
            (byte[])reader[0],
            reader.IsDBNull(1) ? null : reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : (byte[])reader[5]);
    }

    internal async Task StoreResponseAsync(IdempotentRequest request, HttpResponse response, byte[] body)
    {
        await using var command = dataSource.CreateCommand("""
            update pare.idempotent_requests set status = $4, content_type = $5, location = $6, etag = $7, body = $8
            where cell_id = $1 and principal = $2 and key = $3
            """);
        command.Parameters.Add(new() { Value = request.CellId });
        command.Parameters.Add(new() { Value = request.Principal });
        command.Parameters.Add(new() { Value = request.Key });
        command.Parameters.Add(new() { Value = response.StatusCode });
        command.Parameters.Add(new() { Value = (object?)response.ContentType ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)response.Headers.Location.ToString() ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)response.Headers.ETag.ToString() ?? DBNull.Value });
        command.Parameters.Add(new() { Value = body });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    internal sealed record StoredRequest(byte[] Hash, int? Status, string? ContentType, string? Location, string? ETag, byte[]? Body);
}

/// <summary>The current request's key and body hash, set by <see cref="IdempotencyMiddleware"/>.</summary>
public sealed class IdempotentRequest(string cellId, string principal, string key, byte[] hash)
{
    public string CellId { get; } = cellId;
    public string Principal { get; } = principal;
    public string Key { get; } = key;
    public byte[] Hash { get; } = hash;
    public bool Enlisted { get; set; }
}

public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    private static readonly Bilingual KeyReused = new(
        "This Idempotency-Key was already used with a different request body.",
        "Cette Idempotency-Key a déjà servi pour une requête au contenu différent.");
    private static readonly Bilingual InProgress = new(
        "A request with this Idempotency-Key is still being processed, or its response was lost: read the resource before retrying with a new key.",
        "Une requête avec cette Idempotency-Key est en cours, ou sa réponse a été perdue : relisez la ressource avant de réessayer avec une nouvelle clé.");
    private static readonly Bilingual KeyTooLong = new(
        $"Idempotency-Key must be 1 to {Idempotency.MaxKeyLength} characters.",
        $"Idempotency-Key doit compter de 1 à {Idempotency.MaxKeyLength} caractères.");

    public async Task InvokeAsync(HttpContext context, Idempotency idempotency, IProblemDetailsService problems)
    {
        var key = context.Request.Headers[Idempotency.Header].ToString();
        var cell = context.User.FindFirst(Claims.Cell)?.Value;
        var principal = context.User.FindFirst(Claims.Subject)?.Value;
        if (!HttpMethods.IsPost(context.Request.Method) || key.Length == 0 || cell is null || principal is null)
        {
            await next(context);
            return;
        }
        if (key.Length > Idempotency.MaxKeyLength)
        {
            await WriteProblemAsync(context, problems, Problems.Invalid(new Dictionary<string, string[]> { [Idempotency.Header] = [KeyTooLong.ToString()] }));
            return;
        }

        var request = new IdempotentRequest(cell, principal, key, await HashAsync(context.Request));
        var stored = await idempotency.FindAsync(request, context.RequestAborted);
        if (stored is not null)
        {
            await ReplayAsync(context, problems, request, stored);
            return;
        }

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
            // The same key committed first in a concurrent request: nothing of ours was written.
            context.Response.Body = original;
            await WriteProblemAsync(context, problems, new ProblemDetails { Status = 409, Detail = InProgress.ToString() });
            return;
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (request.Enlisted) await idempotency.StoreResponseAsync(request, context.Response, body);
        await original.WriteAsync(body, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IProblemDetailsService problems, IdempotentRequest request, Idempotency.StoredRequest stored)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.Hash, request.Hash))
        {
            await WriteProblemAsync(context, problems, new ProblemDetails { Status = 422, Detail = KeyReused.ToString(), Extensions = { ["code"] = "idempotency-key-reused" } });
            return;
        }
        if (stored.Status is not { } status)
        {
            await WriteProblemAsync(context, problems, new ProblemDetails { Status = 409, Detail = InProgress.ToString(), Extensions = { ["code"] = "idempotent-request-pending" } });
            return;
        }
        context.Response.StatusCode = status;
        context.Response.Headers[Idempotency.ReplayedHeader] = "true";
        if (stored.ContentType is not null) context.Response.ContentType = stored.ContentType;
        if (!string.IsNullOrEmpty(stored.Location)) context.Response.Headers.Location = stored.Location;
        if (!string.IsNullOrEmpty(stored.ETag)) context.Response.Headers.ETag = stored.ETag;
        if (stored.Body is { Length: > 0 } body) await context.Response.Body.WriteAsync(body, context.RequestAborted);
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
