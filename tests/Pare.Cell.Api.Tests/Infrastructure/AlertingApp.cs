using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Alerts;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>The API and the job server in one process, sending to a real SMTP server on loopback.</summary>
public sealed class AlertingApp : PareApp
{
    public SmtpSink Smtp { get; } = new();

    protected override string Roles => "api,jobs";

    protected override bool RecordsTelemetry => true;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Alerts:SmtpHost", "127.0.0.1");
        builder.UseSetting("Alerts:SmtpPort", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Alerts:PollInterval", "00:00:00.100");
        builder.UseSetting("Alerts:PublicBaseUrl", "http://localhost");
    }

    /// <summary>What the recurring job does each minute, run now (after moving the clock).</summary>
    public Task RunOpenEpisodeReviewAsync() => Services.GetRequiredService<OpenEpisodeReview>().RunAsync();

    public Task RunAlertDeadlinesAsync() => Services.GetRequiredService<AlertDeadlines>().RunAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingApp>
{
    public const string Name = "alerting";
}
