using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Makes each component schema say what goes over the wire, from where it is used. A schema clients send
/// (request bodies, parameters) requires what its validators always require (<see cref="ValidatorSchemaFilter"/>)
/// and may carry <c>null</c> where the record accepts it. A schema the server writes (responses, webhooks)
/// requires every member the server always writes (<see cref="WireShapeFilter"/>), and its other members are
/// optional and never <c>null</c> (null members are left out); it does not close itself to new members, which
/// v1 may add (clients ignore what they do not know). A schema used both ways whose two answers
/// differ is split: requests refer to a copy named <c>…Input</c> with the clients' rules, so neither side lies.
/// </summary>
public sealed class ContractDocumentFilter(SchemaNotes notes) : IDocumentFilter
{
    public const string InputSuffix = "Input";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = swaggerDoc;
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var (sent, written) = Usage(document);

        // Split where the two sides differ, and wherever a shared schema embeds one that is split.
        var shared = sent.Intersect(written).ToHashSet();
        var split = shared.Where(id => schemas[id] is OpenApiSchema schema && notes.TryGet(schema, out var note)
            && !(note.Required ?? []).SetEquals(note.AlwaysWritten ?? [])).ToHashSet();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var id in shared.Except(split).ToList())
                if (DirectReferences(schemas[id]).Any(split.Contains)) grew = split.Add(id);
        }
        foreach (var id in split)
        {
            if (schemas[id] is not OpenApiSchema schema) continue;
            var input = Clone(schema);
            if (notes.TryGet(schema, out var note)) notes.Of(input).Required = note.Required;
            schemas[id + InputSuffix] = input;
        }
        RedirectRequests(document, schemas);
        (sent, written) = Usage(document);

        foreach (var (id, value) in schemas)
        {
            if (value is not OpenApiSchema schema || !notes.TryGet(schema, out var note) || schema.Properties is not { Count: > 0 } properties) continue;
            var isSent = sent.Contains(id);
            var isWritten = written.Contains(id);
            var required = isSent ? note.Required ?? [] : note.AlwaysWritten ?? [];
            schema.Required = new HashSet<string>(properties.Keys.Where(required.Contains), StringComparer.Ordinal);
            foreach (var (name, property) in properties)
            {
                // Required and sent by a client: the validator refused null. Written by the server: a member left
                // out when null is never null on the wire.
                if (required.Contains(name) || (isWritten && !isSent)) properties[name] = NotNull(property);
            }
            if (schema.Required.Count == 0) schema.Required = null;
            // What the server writes may gain members within v1 (additive changes): clients read what they know.
            if (isWritten && !isSent && schema.AdditionalPropertiesAllowed == false) schema.AdditionalPropertiesAllowed = true;
        }
    }

    /// <summary>The components a schema refers to itself, through its inline parts but not through other components.</summary>
    private static IEnumerable<string> DirectReferences(IOpenApiSchema schema)
    {
        var stack = new Stack<IOpenApiSchema>(Children(schema));
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (next is OpenApiSchemaReference { Reference.Id: { } id }) yield return id;
            else foreach (var child in Children(next)) stack.Push(child);
        }
    }

    /// <summary>Component ids reachable from what clients send, and from what the server writes.</summary>
    public static (HashSet<string> Sent, HashSet<string> Written) Usage(OpenApiDocument document)
    {
        var sentRoots = new List<IOpenApiSchema?>();
        var writtenRoots = new List<IOpenApiSchema?>();
        foreach (var operation in Operations(document))
        {
            sentRoots.AddRange(operation.RequestBody?.Content?.Values.Select(c => c.Schema) ?? []);
            sentRoots.AddRange(operation.Parameters?.Select(p => p.Schema) ?? []);
            foreach (var response in operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            {
                writtenRoots.AddRange(response.Content?.Values.Select(c => c.Schema) ?? []);
                writtenRoots.AddRange(response.Headers?.Values.Select(h => h.Schema) ?? []);
            }
        }
        // Webhooks are requests the server makes: their bodies are written by the server.
        foreach (var hook in WebhookOperations(document))
            writtenRoots.AddRange(hook.RequestBody?.Content?.Values.Select(c => c.Schema) ?? []);
        return (Closure(document, sentRoots), Closure(document, writtenRoots));
    }

    public static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());

    private static IEnumerable<OpenApiOperation> WebhookOperations(OpenApiDocument document) =>
        (document.Webhooks?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());

    private static HashSet<string> Closure(OpenApiDocument document, IEnumerable<IOpenApiSchema?> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (stack.Count > 0)
        {
            var schema = stack.Pop();
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (!seen.Add(id)) continue;
                if (document.Components?.Schemas?.TryGetValue(id, out var target) == true) stack.Push(target);
                continue;
            }
            foreach (var child in Children(schema)) stack.Push(child);
        }
        return seen;
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema)
    {
        foreach (var property in schema.Properties?.Values ?? []) yield return property;
        if (schema.Items is { } items) yield return items;
        if (schema.AdditionalProperties is { } additional) yield return additional;
        foreach (var each in (schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])) yield return each;
    }

    /// <summary>Requests (bodies, parameters, and the schemas only they use) refer to the <c>…Input</c> copies.</summary>
    private static void RedirectRequests(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        var inputs = schemas.Keys.Where(k => k.EndsWith(InputSuffix, StringComparison.Ordinal) && schemas.ContainsKey(k[..^InputSuffix.Length])).ToHashSet();
        if (inputs.Count == 0) return;
        IOpenApiSchema Redirect(IOpenApiSchema schema) =>
            schema is OpenApiSchemaReference { Reference.Id: { } id } && inputs.Contains(id + InputSuffix)
                ? new OpenApiSchemaReference(id + InputSuffix, document)
                : schema;
        void Walk(IOpenApiSchema? schema, HashSet<IOpenApiSchema> visited)
        {
            if (schema is not OpenApiSchema inline || !visited.Add(inline)) return;
            if (inline.Properties is { } properties)
                foreach (var name in properties.Keys.ToList()) { properties[name] = Redirect(properties[name]); Walk(properties[name], visited); }
            if (inline.Items is { } items) { inline.Items = Redirect(items); Walk(inline.Items, visited); }
            if (inline.AdditionalProperties is { } additional) { inline.AdditionalProperties = Redirect(additional); Walk(inline.AdditionalProperties, visited); }
            foreach (var list in new[] { inline.AllOf, inline.OneOf, inline.AnyOf })
                if (list is not null)
                    for (var i = 0; i < list.Count; i++) { list[i] = Redirect(list[i]); Walk(list[i], visited); }
        }
        var visited = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        var (sent, written) = Usage(document);
        foreach (var operation in Operations(document))
        {
            foreach (var content in operation.RequestBody?.Content?.Values ?? [])
                if (content is OpenApiMediaType media && media.Schema is { } body) { media.Schema = Redirect(body); Walk(media.Schema, visited); }
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                if (parameter.Schema is { } schema) { parameter.Schema = Redirect(schema); Walk(parameter.Schema, visited); }
        }
        // Schemas only clients send, and the input copies themselves, refer to input copies too.
        foreach (var id in sent.Except(written).Concat(inputs))
            if (schemas.TryGetValue(id, out var schema)) Walk(schema, visited);
    }

    /// <summary>A copy whose property schemas are copies too, so that changing one side leaves the other as it is.</summary>
    private static OpenApiSchema Clone(OpenApiSchema schema)
    {
        var copy = (OpenApiSchema)schema.CreateShallowCopy();
        copy.Properties = schema.Properties?.ToDictionary(p => p.Key, p => p.Value is OpenApiSchema inline ? inline.CreateShallowCopy() : p.Value);
        copy.Required = schema.Required is null ? null : new HashSet<string>(schema.Required, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>The property without <c>null</c> among its types (a reference is never null by itself).</summary>
    private static IOpenApiSchema NotNull(IOpenApiSchema property)
    {
        switch (property)
        {
            case OpenApiSchema { Type: { } type } inline when type.HasFlag(JsonSchemaType.Null):
                inline.Type = type & ~JsonSchemaType.Null;
                return inline;
            case OpenApiSchema { OneOf: [var only, OpenApiSchema { Type: JsonSchemaType.Null }] } wrapped:
                return Describe(only, wrapped.Description);
            case OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, var only] } wrapped:
                return Describe(only, wrapped.Description);
            case OpenApiSchema { AnyOf: [var only, OpenApiSchema { Type: JsonSchemaType.Null }] } wrapped:
                return Describe(only, wrapped.Description);
            default:
                return property;
        }
    }

    private static IOpenApiSchema Describe(IOpenApiSchema schema, string? description)
    {
        if (description is null) return schema;
        if (schema is OpenApiSchemaReference reference) reference.Description ??= description;
        return schema;
    }
}
