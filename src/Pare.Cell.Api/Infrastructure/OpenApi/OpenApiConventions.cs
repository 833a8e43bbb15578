namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>A tag (a group of operations) and what it is about, for the document's <c>tags</c>.</summary>
public sealed record TagDescription(string Name, string Description);

public static class OpenApiConventions
{
    /// <summary><c>WithTags(name)</c>, with the tag's description: every tag of the document is described.</summary>
    public static TBuilder WithTag<TBuilder>(this TBuilder builder, string name, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithTags(name).WithMetadata(new TagDescription(name, description));
}
