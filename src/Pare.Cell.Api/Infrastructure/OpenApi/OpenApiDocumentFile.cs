using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Database;
using Swashbuckle.AspNetCore.Swagger;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// <c>dotnet Pare.Cell.Api.dll openapi [file]</c>: writes the OpenAPI document the API serves at
/// <c>/swagger/v1/swagger.json</c>, without a database or a listening server, for CI (lint, client
/// generation) and integrators. Nothing connects: the data source is never opened, no key is used.
/// The host starts (so routing gathers the endpoints the document describes) on a server that listens
/// nowhere, as the API only (no job server) and without applying the schema.
/// </summary>
public static class OpenApiDocumentFile
{
    public const string Verb = "openapi";

    /// <summary>Never opened: the document needs the endpoints and their metadata, not the database.</summary>
    public static readonly DatabaseConnections NoDatabase = new("Host=localhost;Database=unused-by-the-openapi-verb", "Host=localhost;Database=unused-by-the-openapi-verb", null);

    /// <summary>The file to write: the argument after the verb, unless it is an option (<c>--OpenApi:ServerUrl=…</c>).</summary>
    public static string? PathArgument(string[] args) =>
        args.SkipWhile(a => a != Verb).Skip(1).Take(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));

    /// <summary>
    /// The arguments the configuration reads: without the file, which it would take for a switch when it starts
    /// with <c>/</c> (and swallow the option after it).
    /// </summary>
    public static string[] ConfigurationArguments(string[] args) =>
        PathArgument(args) is { } path ? [.. args.Where(a => a != path)] : args;

    /// <summary>
    /// The document states no key; the authentication setup still wants one outside Development, so a
    /// throwaway key stands in when none is configured (no token is issued or validated by the verb).
    /// </summary>
    public static void Prepare(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(configuration["Auth:SigningKey"]) && string.IsNullOrWhiteSpace(configuration["Partners:TokenSigningKey"]))
            configuration["Partners:TokenSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        if (string.IsNullOrWhiteSpace(configuration["Auth:SigningKey"]) && string.IsNullOrWhiteSpace(configuration["Auth:Authority"]))
            configuration["Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        configuration["Hosting:Roles"] = "api";
        configuration["Database:ApplySchemaOnStartup"] = "false";
        builder.Services.AddSingleton<IServer, NowhereServer>();
    }

    public static async Task<int> WriteAsync(WebApplication app, string[] args)
    {
        app.UsePare();
        await app.StartAsync();
        // The asynchronous path, as the middleware takes it: the operation filters are asynchronous.
        var document = await app.Services.GetRequiredService<IAsyncSwaggerProvider>().GetSwaggerAsync(Swagger.DocumentName);
        await app.StopAsync();
        var json = await document.SerializeAsJsonAsync(Swagger.SpecVersion);
        var path = PathArgument(args);
        if (path is null)
        {
            await Console.Out.WriteAsync(json);
            return 0;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, json);
        Console.Error.WriteLine($"OpenAPI document written to {path}");
        return 0;
    }
}

/// <summary>A server that accepts no connection: the host starts, routing is built, nothing listens.</summary>
internal sealed class NowhereServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() { }
}
