using System.Buffers;
using System.Collections.Concurrent;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback (SmtpServer package) that keeps what it accepts. A test can
/// make it refuse (the relay is down) or hold a message (to kill the sender mid-exchange).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public SmtpSink()
    {
        Port = PostgresServer.FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Port(Port).AllowUnsecureAuthentication(true)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add((IMailboxFilter)new DelegatingMailboxFilter((IMailbox to, IMailbox _) => !RefusesRecipient(to.AsAddress())));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Accepted messages, in order, with the time they were accepted.</summary>
    public ConcurrentQueue<(MimeMessage Message, DateTimeOffset AcceptedAt)> Accepted { get; } = new();

    /// <summary>Called before accepting; return a non-OK response to refuse. Default: accept.</summary>
    public Func<MimeMessage, Task<SmtpResponse>> Decide { get; set; } = _ => Task.FromResult(SmtpResponse.Ok);

    /// <summary>Whether to refuse a recipient at <c>RCPT TO</c> (an address the relay does not know). Default: none.</summary>
    public Func<string, bool> RefusesRecipient { get; set; } = _ => false;

    public IReadOnlyList<MimeMessage> Messages => Accepted.Select(a => a.Message).ToList();

    /// <summary>Whether a message is the alert's, of this kind (<c>alert</c>, <c>foundNotice</c>, <c>escalation</c>).</summary>
    public static bool Is(MimeMessage message, Guid alertId, string kind) =>
        message.Headers["X-Pare-Alert-Id"] == alertId.ToString() && message.Headers["X-Pare-Message-Kind"] == kind;

    public IEnumerable<MimeMessage> AlertsFor(Guid alertId) =>
        Messages.Where(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());

    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = Messages.FirstOrDefault(predicate);
            if (found is not null) return found;
            await Task.Delay(25);
        }
        throw new TimeoutException("No such message reached the SMTP server in time.");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var response = await sink.Decide(message);
            if (response == SmtpResponse.Ok) sink.Accepted.Enqueue((message, DateTimeOffset.UtcNow));
            return response;
        }
    }
}
