using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Answers an earlier version stored in clear (a minor's names in the opened case) are sealed by
/// <c>migrate</c>, their clear columns dropped, and a retry of their key still gets the answer.
/// </summary>
public sealed class IdempotentAnswerMigrationTests(PareApp app) : IClassFixture<PareApp>
{
    [Fact]
    public async Task Migrate_seals_answers_stored_in_clear_and_they_still_replay()
    {
        var cell = $"legacy-{Guid.NewGuid():N}"[..16];
        var key = Guid.NewGuid().ToString();
        const string request = """{"firstName":"Legacy-Témoin","lastName":"Ancien","dateOfBirth":"2012-01-02","placement":{"kind":"atHome"}}""";
        const string answer = """{"id":"0195f0a0-0000-7000-8000-000000000001","minor":{"firstName":"Legacy-Témoin"}}""";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"POST /api/v1/cases\n{request}"));
        await app.ScalarAsync("""
            alter table pare.idempotent_requests add column status int, add column content_type text, add column location text,
                add column etag text, add column body bytea
            """);
        await app.ScalarAsync("""
            insert into pare.idempotent_requests (cell_id, principal, key, request_hash, created_at, status, content_type, location, etag, body)
            values ($1, 'worker-1', $2, $3, now(), 201, 'application/json; charset=utf-8', '/api/v1/cases/0195f0a0-0000-7000-8000-000000000001', '"1"', $4)
            """, cell, key, hash, Encoding.UTF8.GetBytes(answer));

        await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync();

        (await app.ScalarAsync("select count(*) from information_schema.columns where table_schema = 'pare' and table_name = 'idempotent_requests' and column_name = 'body'"))
            .ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pare.idempotent_requests where position(convert_to('Témoin', 'UTF8') in answer) > 0")).ShouldBe(0);
        using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = new StringContent(request, Encoding.UTF8, "application/json") };
        retry.Headers.Add("Idempotency-Key", key);
        var replayed = await app.Worker(cell).SendAsync(retry);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Created);
        replayed.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await replayed.Content.ReadAsStringAsync()).ShouldBe(answer);
        replayed.Headers.ETag!.Tag.ShouldBe("\"1\"");
    }
}
