using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents, on every operation, what the shared HTTP pipeline does and no handler signature shows:
/// errors are ProblemDetails (<c>application/problem+json</c>) written by the exception handler, the
/// authentication and rate-limiting middleware, not by the handler; <c>Idempotency-Key</c>,
/// <c>Accept-Language</c> and <c>If-Match</c> are read by infrastructure; anonymous endpoints must not
/// show the global bearer requirement. Everything is derived from the endpoint's metadata (method,
/// parameters, authorization), so a new endpoint is documented without annotations.
/// <para>
/// Handlers read If-Match themselves, so each versioned endpoint says so with
/// <see cref="VersionedEndpoints.Versioned"/>: it answers an ETag, and reads If-Match as stated (412/428).
/// </para>
/// </summary>
public sealed class HttpConventionsFilter : IOperationFilter
{
    private const string ProblemJson = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var api = context.ApiDescription;
        var method = api.HttpMethod?.ToUpperInvariant();
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
        // A route value that does not bind misses the route (404): only query, header and body values answer 400.
        var inputs = api.ParameterDescriptions.Any(p => p.Source != BindingSource.Path && p.Source != BindingSource.Services && p.Source != BindingSource.Special);
        var identified = api.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var versioned = metadata.OfType<VersionedResource>().FirstOrDefault();
        var ifMatch = versioned is { IfMatch: not IfMatchUse.None };

        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        var invalid = context.SchemaGenerator.GenerateSchema(typeof(HttpValidationProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        void Error(int status, string description, IOpenApiSchema? schema = null, Dictionary<string, IOpenApiHeader>? headers = null)
        {
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(code, out var declared))
            {
                // Declared by the handler (Results<..., NotFound>) but without a body: the pipeline still writes a problem.
                if (declared is OpenApiResponse { Content: null or { Count: 0 } } bare)
                    (bare.Description, bare.Content) = (description, Problem(schema ?? problem));
                return;
            }
            operation.Responses[code] = new OpenApiResponse { Description = description, Content = Problem(schema ?? problem), Headers = headers };
        }

        var retryAfter = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        foreach (var documented in metadata.OfType<DocumentedProblem>())
            Error(documented.Status, documented.Description, headers: documented.Status == 429 ? retryAfter : null);
        if (inputs) Error(400, "Invalid request: `errors` names each invalid field by its JSON path (such as `placement.kind`), in English or French per Accept-Language.", invalid);
        if (!anonymous)
        {
            Error(401, "No valid bearer token.");
            Error(403, "The token's role or scopes do not allow this operation.");
        }
        if (identified) Error(404, "Not found, or in another cell: both answer the same.");
        if (write && !anonymous)
        {
            Error(409, "Conflicts with the resource's current state (the `code` extension names the rule), or a request with the same Idempotency-Key is still in progress.");
            Error(422, "Refused by a business rule, or an Idempotency-Key reused with another body: switch on the stable `code` extension, not on `detail`.");
        }
        if (ifMatch)
        {
            Error(412, "If-Match no longer matches: someone changed the resource since you read it. Read it again (new ETag) and retry.");
            Error(428, "If-Match is missing where this operation requires it.");
        }
        Error(429, "Too many requests: wait for Retry-After seconds.", headers: retryAfter);

        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse success) continue;
            var collection = success.Content?.Values.Any(c => c.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Array)) == true;
            if (versioned is not null && !collection && code is "200" or "201")
                (success.Headers ??= new Dictionary<string, IOpenApiHeader>())["ETag"] = Header("The resource's version: send it back as If-Match to update it.", JsonSchemaType.String);
            if (code == "201")
                (success.Headers ??= new Dictionary<string, IOpenApiHeader>())["Location"] = Header("The URL of what was created or recorded.", JsonSchemaType.String);
        }

        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (code, response) in ordered) operation.Responses[code] = response;

        operation.Parameters ??= [];
        if (ifMatch)
            operation.Parameters.Add(HeaderParameter(IfMatch.Header, versioned!.IfMatch == IfMatchUse.Required,
                versioned.IfMatch == IfMatchUse.Required
                    ? "The ETag you read (such as `\"3\"`): required (428 without it); a stale one answers 412."
                    : "The ETag you read (such as `\"3\"`): optional, checked when sent; a stale one answers 412.",
                new OpenApiSchema { Type = JsonSchemaType.String }));
        if (method == "POST" && !anonymous)
            operation.Parameters.Add(HeaderParameter(Idempotency.Header, false,
                "Any unique string: a retry with the same key and body returns the original response and writes nothing twice.",
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Idempotency.MaxKeyLength }));
        operation.Parameters.Add(HeaderParameter("Accept-Language", false, "Language of problem titles and details (English by default).",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("en"), JsonValue.Create("fr")] }));

        if (anonymous) operation.Security = [];
    }

    private static Dictionary<string, IOpenApiMediaType> Problem(IOpenApiSchema schema) => new() { [ProblemJson] = new OpenApiMediaType { Schema = schema } };

    private static OpenApiHeader Header(string description, JsonSchemaType type) => new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static OpenApiParameter HeaderParameter(string name, bool required, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = required, Description = description, Schema = schema };
}

