using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// The document's own parts: contact and license (<see cref="OpenApiSettings"/>), the server when its public
/// URL is configured, each tag's description (from <see cref="OpenApiConventions.WithTag{TBuilder}"/> on the
/// endpoints), and no component schema left that nothing refers to (the framework's problem types, replaced
/// by <see cref="ProblemSchemas"/>).
/// </summary>
public sealed class DocumentMetadataFilter(OpenApiSettings settings, IHostEnvironment environment) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = swaggerDoc;
        document.Info.Contact = new OpenApiContact
        {
            Name = settings.ContactName,
            Email = settings.ContactEmail,
            Url = settings.ContactUrl is { } contact ? new Uri(contact) : null,
        };
        document.Info.License = new OpenApiLicense
        {
            Name = settings.LicenseName,
            Url = settings.LicenseUrl is { } license ? new Uri(license) : null,
            Identifier = settings.LicenseIdentifier,
        };
        if (settings.ServerUrl is { } url) document.Servers = [settings.Server(url, environment)];

        var descriptions = context.ApiDescriptions
            .SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<TagDescription>())
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Description, StringComparer.Ordinal);
        var used = ContractDocumentFilter.Operations(document).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
        {
            Name = name,
            Description = descriptions.GetValueOrDefault(name),
        }));

        RemoveUnreferenced(document);
    }

    /// <summary>Components no operation, header, webhook or other component refers to.</summary>
    private static void RemoveUnreferenced(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        var (sent, written) = ContractDocumentFilter.Usage(document);
        foreach (var id in schemas.Keys.Where(id => !sent.Contains(id) && !written.Contains(id)).ToList())
            schemas.Remove(id);
    }
}
