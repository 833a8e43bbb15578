using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The suite's global witness, in the host of every test app: whatever test made the request and
/// whatever the route or method, it checks every response of the API against two rules.
/// <list type="number">
/// <item>A response whose body holds a canary of a case (the family name the case was opened with, made
/// distinctive by <c>CaseRequests.NewCase</c>) has a row in the access journal for that caller and
/// that case, written while the request ran; a canary of another cell is a leak outright.</item>
/// <item>An answer to a partner holds no id but its referrals' and their episodes' (never a case id).</item>
/// </list>
/// A violation fails the request that made it (its client gets the exception, whatever the test
/// checks) and the app's fixture when it is disposed: no list of endpoints to remember.
/// </summary>
public sealed partial class ResponseWitness : IDisposable
{
    /// <summary>Family names as <c>CaseRequests.NewCase</c> makes them (nine letters): nobody's first name, no staff member's name.</summary>
    private const int ShortestCanary = 8;

    private readonly ConcurrentDictionary<string, ConcurrentBag<(string Cell, Guid Case)>> _canaries = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private NpgsqlDataSource? _database;

    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>How many responses were checked, and how many of them held a canary: the witness is not idle.</summary>
    public int Checked => _checked;
    public int WithCanaries => _withCanaries;
    private int _checked;
    private int _withCanaries;

    /// <summary>The tests' superuser connection to the app's database (the witness reads, never writes).</summary>
    public void UseDatabase(string connectionString) => _database ??= NpgsqlDataSource.Create(connectionString);

    public void Dispose() => _database?.Dispose();

    internal void Learn(string cell, Guid caseId, IEnumerable<string?> values)
    {
        foreach (var value in values)
            if (value is { Length: >= ShortestCanary }) _canaries.GetOrAdd(value, _ => []).Add((cell, caseId));
    }

    internal async Task<long> JournalWatermarkAsync() =>
        (long)(await Database.CreateCommand("select coalesce(max(id), 0) from audit.access_journal").ExecuteScalarAsync())!;

    private NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The witness has no database yet.");

    /// <summary>The violation the response makes, or null.</summary>
    internal async Task<string?> CheckAsync(HttpContext context, string body, long watermark)
    {
        Interlocked.Increment(ref _checked);
        var request = $"{context.Request.Method} {context.Request.Path} → {context.Response.StatusCode}";
        var caller = context.User.FindFirst("sub")?.Value;
        var cell = context.User.FindFirst("cell")?.Value;
        var found = _canaries.Where(c => Holds(body, c.Key)).ToList();
        if (found.Count > 0)
        {
            Interlocked.Increment(ref _withCanaries);
            var foreign = found.Where(c => c.Value.All(e => e.Cell != cell)).Select(c => c.Key).ToList();
            if (foreign.Count > 0) return $"{request}: another cell's data reached {caller ?? "an anonymous caller"} of {cell ?? "no cell"}";
            if (caller is null) return $"{request}: a minor's data reached an anonymous caller";
            var journaled = await JournaledAsync(cell!, caller, [.. found.SelectMany(c => c.Value).Where(e => e.Cell == cell).Select(e => e.Case).Distinct()], watermark);
            var unjournaled = found.Where(c => !c.Value.Any(e => e.Cell == cell && journaled.Contains(e.Case))).ToList();
            if (unjournaled.Count > 0)
                return $"{request}: carries the data of case {unjournaled[0].Value.First(e => e.Cell == cell).Case} to {caller}, with no journal row";
        }
        if (context.User.IsInRole("partner") && cell is not null)
        {
            var foreignIds = Ids().Matches(body).Select(m => Guid.Parse(m.Value)).Distinct().ToList();
            if (foreignIds.Count > 0)
            {
                var own = await PartnerMayKnowAsync(cell, context.User.FindFirst("partner")?.Value ?? "");
                foreignIds.RemoveAll(own.Contains);
                if (foreignIds.Count > 0) return $"{request}: answered a partner ids that are not its referrals' or their episodes': {string.Join(", ", foreignIds)}";
            }
        }
        return null;
    }

    internal void Record(string violation) => _violations.Enqueue(violation);

    /// <summary>As written, or as JSON writes it (System.Text.Json escapes accents by default).</summary>
    private static bool Holds(string body, string value) =>
        body.Contains(value, StringComparison.Ordinal) || body.Contains(JsonSerializer.Serialize(value)[1..^1], StringComparison.Ordinal);

    private async Task<HashSet<Guid>> JournaledAsync(string cell, string caller, Guid[] cases, long watermark)
    {
        await using var command = Database.CreateCommand(
            "select distinct case_id from audit.access_journal where id > $1 and cell_id = $2 and user_id = $3 and case_id = any($4)");
        command.Parameters.Add(new() { Value = watermark });
        command.Parameters.Add(new() { Value = cell });
        command.Parameters.Add(new() { Value = caller });
        command.Parameters.Add(new() { Value = cases });
        var journaled = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) journaled.Add(reader.GetGuid(0));
        return journaled;
    }

    /// <summary>The referrals addressed to the partner, the episodes of their cases and their photos (a signed link names its photo).</summary>
    private async Task<HashSet<Guid>> PartnerMayKnowAsync(string cell, string partnerId)
    {
        await using var command = Database.CreateCommand("""
            select r.id from pare.mt_doc_referral r where r.tenant_id = $1 and r.data->>'partnerId' = $2
            union
            select (e->>'id')::uuid from pare.mt_doc_referral r
              join pare.mt_doc_case c on c.tenant_id = r.tenant_id and c.id = (r.data->>'caseId')::uuid
              cross join lateral jsonb_array_elements(coalesce(c.data->'episodes', '[]'::jsonb)) e
            where r.tenant_id = $1 and r.data->>'partnerId' = $2
            union
            select p.photo_id from pare.mt_doc_referral r
              join pare.case_photos p on p.cell_id = r.tenant_id and p.case_id = (r.data->>'caseId')::uuid
            where r.tenant_id = $1 and r.data->>'partnerId' = $2
            """);
        command.Parameters.Add(new() { Value = cell });
        command.Parameters.Add(new() { Value = partnerId });
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();
}

public sealed class ResponseWitnessException(string violation) : Exception(violation);

/// <summary>Outermost in the app's pipeline: sees every request and the response exactly as sent.</summary>
internal sealed class ResponseWitnessMiddleware(RequestDelegate next, ResponseWitness witness)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        var watermark = await witness.JournalWatermarkAsync();
        var opening = HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/api/v1/cases", StringComparison.Ordinal);
        JsonNode? openingBody = null;
        if (opening)
        {
            context.Request.EnableBuffering();
            try { openingBody = await JsonNode.ParseAsync(context.Request.Body); } catch (JsonException) { }
            context.Request.Body.Position = 0;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (opening && context.Response.StatusCode == StatusCodes.Status201Created && openingBody is JsonObject asked
            && context.User.FindFirst("cell")?.Value is { } cell && JsonNode.Parse(body)?["id"]?.GetValue<Guid>() is { } caseId)
            witness.Learn(cell, caseId, [asked["lastName"]?.GetValue<string>()]);

        if (await witness.CheckAsync(context, body, watermark) is { } violation)
        {
            witness.Record(violation);
            throw new ResponseWitnessException(violation);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }
}

internal sealed class ResponseWitnessStartup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ResponseWitnessMiddleware>();
        next(app);
    };
}
