using Pare.Cell.Api.Infrastructure;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.OpenApi;
using Pare.Cell.Api.Infrastructure.Telemetry;

if (args.Contains("--health-probe")) return await HealthProbe.RunAsync();

var writesOpenApi = args.Contains(OpenApiDocumentFile.Verb);
var builder = WebApplication.CreateBuilder(writesOpenApi ? OpenApiDocumentFile.ConfigurationArguments(args) : args);
if (writesOpenApi) OpenApiDocumentFile.Prepare(builder);
else builder.ListenForMetrics();
var database = writesOpenApi
    ? OpenApiDocumentFile.NoDatabase // the document needs no database
    : await PareDatabase.ResolveAsync(builder.Configuration, builder.Environment);
builder.Services.AddPare(builder.Configuration, builder.Environment, database);
var app = builder.Build();

if (args.Contains("seed-demo"))
{
    // Development: a demo cell worth exploring (fictional people), on top of the schema.
    await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync();
    var events = await app.Services.GetRequiredService<Pare.Cell.Api.Demo.DemoData>().GenerateAsync(TokenIssuer.DemoCell, cases: 300, episodesPerCase: 3);
    Console.WriteLine($"Demo cell '{TokenIssuer.DemoCell}': 300 fictional cases, {events} events.");
    return 0;
}

// CI and integrators: the OpenAPI document, offline.
if (writesOpenApi) return await OpenApiDocumentFile.WriteAsync(app, args);

if (args.Contains("migrate"))
{
    // Production: apply the schema once per release as its owner (ConnectionStrings:PareOwner), and
    // grant the application role the API runs as (README, Database roles).
    await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync();
    return 0;
}

app.UsePare();
app.PrintDevelopmentWelcome();
await app.RunAsync();
return 0;

public partial class Program;
