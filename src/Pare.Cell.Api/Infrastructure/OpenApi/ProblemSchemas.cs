using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// The problems the API answers (RFC 9457), as they go over the wire (<see cref="Problems"/>): every one
/// carries <c>type</c>, <c>title</c>, <c>status</c>, the stable <c>code</c> (an enum of
/// <see cref="ProblemCodes.All"/>) and the request's <c>traceId</c>; validation problems add <c>errors</c>
/// (each invalid field's JSON path → its messages); the token endpoint's add OAuth's <c>error</c>.
/// </summary>
public static class ProblemSchemas
{
    public const string ProblemId = "Problem";
    public const string ValidationProblemId = "ValidationProblem";
    public const string TokenProblemId = "TokenProblem";

    public static readonly string[] OAuthErrorCodes = ["invalid_client", "invalid_request", "invalid_scope", "unsupported_grant_type"];

    public static IOpenApiSchema Problem(OperationFilterContext context, bool oauth) =>
        oauth ? Define(context, TokenProblemId, () => Extending(context, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Enum = [.. OAuthErrorCodes.Select(e => (JsonNode)JsonValue.Create(e)!)],
                    Description = "The OAuth 2 error (RFC 6749 §5.2), when the token endpoint refused the credentials or the scope.",
                },
            },
        }, "A problem of the token endpoint: the OAuth 2 `error` beside the stable `code`."))
        : Define(context, ProblemId, Base);

    public static IOpenApiSchema ValidationProblem(OperationFilterContext context) =>
        Define(context, ValidationProblemId, () => Extending(context, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "errors" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each invalid field, by its JSON path (`placement.kind`, `observations[2].observedOn`, a header's or parameter's name), and why, in the request's language.",
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array, MinItems = 1, MaxItems = 20,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000 },
                    },
                },
            },
        }, "A request the API could not accept as sent: `errors` says what to change, field by field (`code` is `invalid-request`)."));

    private static OpenApiSchema Base() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error (RFC 9457). Switch on `code`, which is stable; `title` and `detail` are prose in English or French (Accept-Language).",
        Required = new HashSet<string> { "type", "title", "status", Problems.CodeMember, Problems.TraceIdMember },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 2000, Description = "A URI naming the kind of problem; `about:blank` when the status says it all." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 500, Description = "The status in words, in the request's language." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4000, Description = "What happened, for a person, in the request's language: never parse it." },
            [Problems.CodeMember] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. ProblemCodes.All.Select(c => (JsonNode)JsonValue.Create(c)!)],
                Description = "The stable reason: a rule of the domain (such as `no-consent-or-legal-basis`), else the status's own (such as `not-found`). Listed in the README.",
            },
            [Problems.TraceIdMember] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128, Description = "The request's trace id: quote it when you report a problem." },
        },
    };

    private static OpenApiSchema Extending(OperationFilterContext context, OpenApiSchema extension, string description) => new()
    {
        Description = description,
        AllOf = [Define(context, ProblemId, Base), extension],
    };

    private static OpenApiSchemaReference Define(OperationFilterContext context, string id, Func<OpenApiSchema> schema)
    {
        if (!context.SchemaRepository.Schemas.ContainsKey(id)) context.SchemaRepository.AddDefinition(id, schema());
        return new OpenApiSchemaReference(id, context.Document);
    }
}
