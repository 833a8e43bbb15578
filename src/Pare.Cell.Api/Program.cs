using Pare.Cell.Api.Infrastructure;
using Pare.Cell.Api.Infrastructure.Database;

if (args.Contains("--health-probe")) return await HealthProbe.RunAsync();

var builder = WebApplication.CreateBuilder(args);
var connectionString = await PareDatabase.ResolveConnectionStringAsync(builder.Configuration, builder.Environment);
builder.Services.AddPare(builder.Configuration, builder.Environment, connectionString);
var app = builder.Build();

if (args.Contains("migrate"))
{
    // Production: apply the schema once per release, then run with Database__ApplySchemaOnStartup=false.
    await app.Services.GetRequiredService<SchemaMigrator>().ApplyAsync();
    return 0;
}

app.UsePare();
app.PrintDevelopmentWelcome();
await app.RunAsync();
return 0;

public partial class Program;
