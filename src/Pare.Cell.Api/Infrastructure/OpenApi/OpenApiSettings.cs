using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// What the document says of this installation: its public URL (<c>OpenApi:ServerUrl</c>, else
/// <c>Alerts:PublicBaseUrl</c>, else the URL the document was read from), whom to contact
/// (<c>OpenApi:ContactName</c>, <c>OpenApi:ContactEmail</c>, <c>OpenApi:ContactUrl</c>) and under which
/// terms (<c>OpenApi:LicenseName</c>, with <c>OpenApi:LicenseUrl</c> or an SPDX <c>OpenApi:LicenseIdentifier</c>).
/// </summary>
public sealed record OpenApiSettings(string? ServerUrl, string ContactName, string? ContactEmail, string? ContactUrl, string LicenseName, string? LicenseUrl, string? LicenseIdentifier)
{
    public static OpenApiSettings From(IConfiguration configuration)
    {
        static string? Value(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var server = Value(configuration["OpenApi:ServerUrl"]) ?? Value(configuration["Alerts:PublicBaseUrl"]);
        return new OpenApiSettings(
            server?.TrimEnd('/'),
            Value(configuration["OpenApi:ContactName"]) ?? "The cell's data protection officer and the Pare.Cell maintainers",
            Value(configuration["OpenApi:ContactEmail"]),
            Value(configuration["OpenApi:ContactUrl"]),
            Value(configuration["OpenApi:LicenseName"]) ?? "Proprietary: use under the cell's partner agreement",
            Value(configuration["OpenApi:LicenseUrl"]),
            // SPDX's form for terms of one's own: no public licence is granted by default.
            Value(configuration["OpenApi:LicenseIdentifier"]) ?? (Value(configuration["OpenApi:LicenseUrl"]) is null ? "LicenseRef-Pare-Cell-Partner-Agreement" : null));
    }

    /// <summary>The installation as a server entry: its URL, its environment in words, and that partners (not only the cell) call it.</summary>
    public OpenApiServer Server(string url, IHostEnvironment environment) => new()
    {
        Url = url.TrimEnd('/'),
        Description = environment.EnvironmentName switch
        {
            "Development" => "Local development server (the run command's demo cell)",
            "Testing" => "Test server",
            "Staging" => "Staging server",
            "Production" => "Production server of the cell",
            var other => $"{other} server",
        },
        Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
    };
}
