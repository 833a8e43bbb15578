using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Reliability;

/// <summary>
/// The kill -9 drill's lost answer: a write committed, the process died before answering, and every
/// retry with the same Idempotency-Key answered 409 until the key expired — for an opened case, the
/// client never learnt its id. Here the API is a separate process that kills itself (SIGKILL) right
/// after the commit, before the answer leaves; restarted, the retry gets the original answer.
/// </summary>
public sealed class IdempotentAnswerAfterCrashTests(PareApp app) : IClassFixture<PareApp>
{
    [Fact]
    public async Task A_retry_after_the_process_died_between_commit_and_answer_gets_the_original_answer()
    {
        await using var api = new JobServerProcess(app.ConnectionString, smtpPort: 25, roles: "api",
            settings: new Dictionary<string, string> { ["Testing:KillAfterCommit"] = "true" });
        await api.StartAsync();
        var cell = $"crash-idem-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();
        var body = CaseRequests.NewCase("Sacha-Témoin", "Lefort-Témoin", "2012-03-04");

        using (var worker = api.As("worker-1", cell, Api.Infrastructure.Auth.Roles.Worker))
            await Should.ThrowAsync<HttpRequestException>(() => worker.PostJsonAsync("/api/v1/cases", body, null, key));
        await WaitUntilAsync(() => api.HasExited);
        (await app.ScalarAsync("select count(*) from pare.mt_streams where tenant_id = $1", cell)).ShouldBe(1, "the write committed before the crash");

        await api.StartAsync();
        using var retrying = api.As("worker-1", cell, Api.Infrastructure.Auth.Roles.Worker);
        var retry = await retrying.PostJsonAsync("/api/v1/cases", body, null, key);

        retry.StatusCode.ShouldBe(HttpStatusCode.Created, await retry.Content.ReadAsStringAsync());
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        var opened = await retry.ReadAsync<CaseView>();
        var caseId = await app.ScalarGuidAsync("select id from pare.mt_streams where tenant_id = $1", cell);
        opened.Id.ShouldBe(caseId);
        opened.Minor.FirstName.ShouldBe("Sacha-Témoin");
        retry.Headers.Location!.ToString().ShouldBe($"/api/v1/cases/{caseId}");
        retry.Headers.ETag!.Tag.ShouldBe("\"1\"");
        (await app.ScalarAsync("select count(*) from pare.mt_streams where tenant_id = $1", cell)).ShouldBe(1, "the retry wrote nothing");
        // The answer names the minor: it is kept sealed, never in clear.
        (await app.ScalarAsync("select count(*) from pare.idempotent_requests where cell_id = $1 and position(convert_to('Témoin', 'UTF8') in answer) > 0", cell))
            .ShouldBe(0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met within 60 s.");
            await Task.Delay(50);
        }
    }
}
