using FluentValidation;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Assessments;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Search;
using Pare.Cell.Api.Staff;
using Pare.Cell.Api.OnCall;
using Pare.Cell.Api.Episodes;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Infrastructure.Jobs;
using Pare.Cell.Api.Infrastructure.Logging;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Api.Infrastructure.OpenApi;
using Pare.Cell.Api.Infrastructure.Telemetry;
using Pare.Cell.Api.WebConsole;

namespace Pare.Cell.Api.Infrastructure;

/// <summary>The composition root, so that Program.cs reads in ten lines.</summary>
public static class Pare
{
    public static IServiceCollection AddPare(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, DatabaseConnections database)
    {
        var hosting = Hosting.From(configuration);
        services.AddSingleton(hosting);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddSingleton(PareDatabase.CreateDataSource(database.Application));
        services.AddPareLogging(configuration);
        services.AddPareTelemetry(configuration, hosting);
        services.AddPareProblemDetails();
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddPareAuthentication(configuration, environment);
        services.AddPareConsole();
        // Tokens are validated against the system clock by the JWT handler: issue them with the same clock.
        services.AddSingleton(sp => new TokenIssuer(sp.GetRequiredService<AuthSettings>(), TimeProvider.System));

        services.AddPareEventStore();
        services.AddSingleton<AccessJournal>();
        services.AddSingleton<JournaledCaseReads>();
        services.AddSingleton<IdempotentAnswers>();
        services.AddSingleton<Idempotency>();
        services.AddScoped<CaseStreams>();
        services.AddSingleton<CaseWriter>();
        services.AddSingleton<AlertOutbox>();
        services.AddScoped<CellStreams>();
        services.AddScoped<PolicyStreams>();
        services.AddSingleton<Caseload.Pseudonyms>();
        services.AddSingleton<SearchDigests>();
        services.AddSingleton<Photos.PhotoStore>();
        services.AddScoped<Links.CaseLinks>();
        services.AddSingleton<Photos.PhotoLinks>();
        services.AddScoped<Cases.Opening.DuplicateCandidates>();
        services.AddSingleton<Caseload.CaseloadSnapshots>();
        services.AddSingleton<Demo.DemoData>();
        services.AddSingleton<Partners.PartnerClients>();
        services.AddSingleton<Referrals.ReferralWriter>();
        services.AddSingleton<Referrals.ReferralWebhooks>();
        services.AddScoped<Referrals.PartnerEpisodes>();
        services.AddSingleton<Staff.StaffDirectory>();
        services.AddSingleton<OnCall.OnCallDuty>();
        services.AddSingleton<SchemaMigrator>();
        if (configuration.GetValue("Database:ApplySchemaOnStartup", environment.IsDevelopment()))
            services.AddHostedService<SchemaMigrationAtStartup>();
        services.AddHostedService<ApplicationRoleCheck>();
        services.AddPareJobs(database.Application, hosting);
        services.Configure<AlertSettings>(configuration.GetSection("Alerts"));
        services.AddSingleton<AlertLinks>();
        services.AddSingleton<AlertMessages>();
        services.AddSingleton<SmtpAlertSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<DispatcherHeartbeat>();
        services.AddSingleton(OutboundPolicy.From(configuration, environment));
        services.AddSingleton<IHostResolver, DnsHostResolver>();
        services.AddTransient<OutboundFailures>();
        // The whole send is bounded by the dispatcher (Alerts:SendTimeout), the connection by Alerts:ConnectTimeout.
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = OutboundHttp.CreateHandler(sp.GetRequiredService<OutboundPolicy>(), sp.GetRequiredService<IHostResolver>());
                handler.ConnectTimeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlertSettings>>().Value.ConnectTimeout;
                return handler;
            })
            .AddHttpMessageHandler<OutboundFailures>();

        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(JournaledAnswersBehavior<,>)];
        });
        Validation.UseJsonFieldNames();
        services.AddValidatorsFromAssemblyContaining<CaseView>(ServiceLifetime.Singleton);

        services.AddPareProtection(configuration);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
            o.Limits.MaxRequestBodySize = configuration.GetValue("Limits:MaxRequestBodyBytes", 1024 * 1024));
        services.AddPareHealthChecks(hosting);
        services.AddPareSwagger(configuration);
        return services;
    }

    public static WebApplication UsePare(this WebApplication app)
    {
        app.UsePareForwardedHeaders();
        // The request log wraps the exception handler, so it records the status the client got
        // (a validation error is a 400 there, not a 500 with a stack trace); real 500s are
        // logged with their exception by the handler (Problems).
        app.UsePareMetricsEndpoint(); // before the request log: a scrape every 15 s is not a request to log
        app.UsePareRequestLogging();
        app.UsePareProblemDetails();
        app.UsePareProtection();
        app.UsePareConsoleAssets();
        app.UseAuthentication();
        app.UseStaffSignIn();
        app.UsePareRateLimits();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapPareHealthChecks();
        if (!app.Services.GetRequiredService<Hosting>().ServesApi) return app;

        app.UsePareSwagger();
        app.UsePareJobsDashboard();
        app.MapCasesApi();
        app.MapEpisodesApi();
        app.MapPolicyApi();
        app.MapAlertsApi();
        app.MapAssessmentsApi();
        app.MapRemindersApi();
        app.MapCaseloadApi();
        app.MapPartnersApi();
        app.MapReferralsApi();
        app.MapAccessJournalApi();
        app.MapSearchApi();
        Photos.PhotosApi.MapPhotosApi(app);
        Links.LinksApi.MapLinksApi(app);
        app.MapStaffApi();
        app.MapOnCallApi();
        app.MapPareConsole();
        return app;
    }

    /// <summary>In Development: where to click, and a token per role of the demo cell.</summary>
    public static void PrintDevelopmentWelcome(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) return;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Urls.FirstOrDefault()?.Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal);
            Console.WriteLine();
            Console.WriteLine($"Pare.Cell is up. Console: {url}/app   Swagger UI: {url}/swagger   Ready: {url}/health/ready");
            Console.WriteLine($"Development tokens for cell '{TokenIssuer.DemoCell}' (paste into Swagger's Authorize button):");
            foreach (var (role, token) in app.Services.GetRequiredService<TokenIssuer>().DemoTokens())
                Console.WriteLine($"  {role,-6} {token}");
            Console.WriteLine();
        });
    }
}
