using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Documents, on every operation, what the shared HTTP pipeline does and no handler signature shows:
/// errors are problems (<c>application/problem+json</c>, <see cref="ProblemSchemas"/>) written by the
/// exception handler, the authentication and rate-limiting middleware, not by the handler (400 where the
/// operation reads input, 401/403 where it needs a token, 404 where it names a resource, 409/422 on
/// writes, 412/428 where it reads If-Match, 429 and 503 with Retry-After, 500 everywhere);
/// <c>Idempotency-Key</c>, <c>Accept-Language</c> and <c>If-Match</c> are read by infrastructure; who may
/// call it, from its authorization policies (roles, partner scopes), as its security requirement and in
/// its description. Everything is derived from the endpoint's metadata (method, parameters,
/// authorization, results), so a new endpoint is documented without annotations.
/// <para>
/// Handlers read If-Match themselves, so each versioned endpoint says so with
/// <see cref="VersionedEndpoints.Versioned"/>: it answers an ETag, and reads If-Match as stated (412/428).
/// </para>
/// </summary>
public sealed class HttpConventionsFilter(IAuthorizationPolicyProvider policies) : IOperationAsyncFilter
{
    private const string ProblemJson = "application/problem+json";
    private const string FormUrlEncoded = "application/x-www-form-urlencoded";

    public async Task ApplyAsync(OpenApiOperation operation, OperationFilterContext context, CancellationToken cancellationToken)
    {
        var api = context.ApiDescription;
        var method = api.HttpMethod?.ToUpperInvariant();
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var access = await Access.OfAsync(metadata, policies);
        var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
        // A route value that does not bind misses the route (404): only query, header and body values answer 400.
        var inputs = api.ParameterDescriptions.Any(p => p.Source != BindingSource.Path && p.Source != BindingSource.Services && p.Source != BindingSource.Special);
        var identified = api.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var versioned = metadata.OfType<VersionedResource>().FirstOrDefault();
        var ifMatch = versioned is { IfMatch: not IfMatchUse.None };
        var oauthErrors = metadata.OfType<OAuthErrors>().Any();

        var problem = ProblemSchemas.Problem(context, oauthErrors);
        var invalid = ProblemSchemas.ValidationProblem(context);
        operation.Responses ??= [];
        ReplaceFrameworkProblems(operation, problem, invalid);

        void Error(int status, string description, IOpenApiSchema? schema = null, Dictionary<string, IOpenApiHeader>? headers = null)
        {
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(code, out var declared))
            {
                // Declared by the handler (Results<..., NotFound>) but without a body: the pipeline still writes a problem.
                if (declared is OpenApiResponse { Content: null or { Count: 0 } } bare)
                    (bare.Description, bare.Content) = (description, Problem(schema ?? problem));
                if (declared is OpenApiResponse { Headers: null } && headers is not null) ((OpenApiResponse)declared).Headers = headers;
                return;
            }
            operation.Responses[code] = new OpenApiResponse { Description = description, Content = Problem(schema ?? problem), Headers = headers };
        }

        foreach (var documented in metadata.OfType<DocumentedProblem>())
            Error(documented.Status, documented.Description, headers: documented.Status == 429 ? RetryAfter() : null);
        if (inputs) Error(400, "Invalid request: `errors` names each invalid field by its JSON path (such as `placement.kind`), in English or French per Accept-Language.", oauthErrors ? problem : invalid);
        if (!access.Anonymous)
        {
            Error(401, "No valid bearer token (missing, expired, revoked, or not for this API).");
            Error(403, "The token's role or scopes do not allow this operation, or a rule about who may do it refuses this caller (the `code` names the rule, such as `only-sender-or-head`).");
        }
        if (identified) Error(404, "Not found, or in another cell: both answer the same.");
        if (write && !access.Anonymous)
        {
            Error(409, "Conflicts with the resource's current state (the `code` names the rule), or a request with the same Idempotency-Key is still in progress (`idempotent-request-pending`).");
            Error(422, "Refused by a business rule, or an Idempotency-Key reused with another body (`idempotency-key-reused`): switch on the stable `code`, not on `detail`.");
        }
        if (ifMatch)
        {
            Error(412, "If-Match no longer matches: someone changed the resource since you read it. Read it again (new ETag) and retry.");
            Error(428, "If-Match is missing where this operation requires it.");
        }
        Error(429, "Too many requests from this caller: wait for Retry-After seconds.", headers: RetryAfter());
        Error(500, "An unexpected error (a defect on our side): nothing is half-written; report the `traceId`.");
        Error(503, "The database is unavailable for a moment: nothing was written; retry after Retry-After seconds.", headers: RetryAfter());

        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse success || !code.StartsWith('2')) continue;
            var collection = success.Content?.Values.Any(c => c.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Array)) == true;
            if (versioned is not null && !collection && code is "200" or "201")
                (success.Headers ??= new Dictionary<string, IOpenApiHeader>())["ETag"] = Header("The resource's version: send it back as If-Match to update it.",
                    new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 24, Pattern = "^\"[0-9]+\"$" }, required: true);
            if (code == "201")
                (success.Headers ??= new Dictionary<string, IOpenApiHeader>())["Location"] = Header("The URL of what was created or recorded.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 2000 }, required: true);
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
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 24, Pattern = "^(W/)?\"?[0-9]+\"?$|^\\*$" }));
        if (method == "POST" && !access.Anonymous)
            operation.Parameters.Add(HeaderParameter(Idempotency.Header, false,
                "Any unique string: a retry with the same key and body returns the original response and writes nothing twice.",
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Idempotency.MaxKeyLength }));
        operation.Parameters.Add(HeaderParameter("Accept-Language", false, "Language of problem titles and details (English by default).",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("en"), JsonValue.Create("fr")] }));

        OnlyUrlEncodedForms(operation, api);
        operation.Security = access.Requirement(context.Document);
        operation.Description = string.IsNullOrWhiteSpace(operation.Description)
            ? $"{operation.Summary}.\n\n{access.Sentence}"
            : $"{operation.Description.TrimEnd()}\n\n{access.Sentence}";
    }

    /// <summary>Problems that handlers declare (<c>NotFound</c>, <c>ValidationProblem</c>, <c>ProducesProblem</c>) use the documented problem schemas.</summary>
    private static void ReplaceFrameworkProblems(OpenApiOperation operation, IOpenApiSchema problem, IOpenApiSchema invalid)
    {
        foreach (var (code, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse declared || declared.Content is not { Count: > 0 } content) continue;
            var framework = content.Values.Select(c => c.Schema).OfType<OpenApiSchemaReference>()
                .FirstOrDefault(r => r.Reference.Id is "ProblemDetails" or "HttpValidationProblemDetails");
            if (framework is null) continue;
            declared.Content = Problem(framework.Reference.Id == "HttpValidationProblemDetails" ? invalid : problem);
        }
    }

    /// <summary>Form endpoints read fields, never files: they are documented (and meant) as URL-encoded forms only.</summary>
    private static void OnlyUrlEncodedForms(OpenApiOperation operation, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription api)
    {
        if (operation.RequestBody is not OpenApiRequestBody { Content: { } content } || !content.ContainsKey(FormUrlEncoded)) return;
        if (api.ParameterDescriptions.Any(p => p.Type == typeof(IFormFile) || p.Type == typeof(IFormFileCollection))) return;
        content.Remove("multipart/form-data");
        operation.RequestBody = new OpenApiRequestBody { Content = content, Required = true, Description = operation.RequestBody.Description };
    }

    private static Dictionary<string, IOpenApiHeader> RetryAfter() =>
        new() { ["Retry-After"] = Header("Seconds to wait before retrying.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "3600" }, required: true) };

    private static Dictionary<string, IOpenApiMediaType> Problem(IOpenApiSchema schema) => new() { [ProblemJson] = new OpenApiMediaType { Schema = schema } };

    private static OpenApiHeader Header(string description, OpenApiSchema schema, bool required) => new() { Description = description, Schema = schema, Required = required };

    private static OpenApiParameter HeaderParameter(string name, bool required, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = required, Description = description, Schema = schema };
}

/// <summary>Endpoint metadata: errors follow OAuth 2 (RFC 6749 §5.2), with an <c>error</c> member beside the problem's <c>code</c>.</summary>
public sealed record OAuthErrors;

/// <summary>Who may call an operation, read from its authorization metadata and policies.</summary>
internal sealed record Access(bool Anonymous, IReadOnlySet<string> Roles, IReadOnlySet<string> Scopes, bool Partner)
{
    public const string MemberScheme = "bearer";
    public const string PartnerScheme = "partnerClient";

    public static async Task<Access> OfAsync(IList<object> metadata, IAuthorizationPolicyProvider provider)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return new(true, new HashSet<string>(), new HashSet<string>(), false);
        var requirements = new List<IAuthorizationRequirement>();
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            var policy = data.Policy is { } name ? await provider.GetPolicyAsync(name) : await provider.GetDefaultPolicyAsync();
            requirements.AddRange(policy?.Requirements ?? []);
            if (data.Roles is { } named) requirements.Add(new RolesAuthorizationRequirement(named.Split(',', StringSplitOptions.TrimEntries)));
        }
        requirements.AddRange(metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements));
        if (requirements.Count == 0) return new(true, new HashSet<string>(), new HashSet<string>(), false);

        // Every requirement must hold: the roles allowed are those every role requirement allows.
        HashSet<string>? roles = null;
        foreach (var allowed in requirements.OfType<RolesAuthorizationRequirement>())
            roles = roles is null ? [.. allowed.AllowedRoles] : [.. roles.Intersect(allowed.AllowedRoles)];
        var scopes = requirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToHashSet();
        var partner = roles?.Contains(Partners.PartnerClaims.Role) == true;
        return new(false, roles ?? [], scopes, partner);
    }

    public List<OpenApiSecurityRequirement> Requirement(OpenApiDocument document) => Anonymous ? [] :
    [
        Partner
            ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PartnerScheme, document)] = [.. Scopes.Order(StringComparer.Ordinal)] }
            : new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(MemberScheme, document)] = [] },
    ];

    public string Sentence => Anonymous
        ? "**Who may call:** anyone: no token (the operation checks its own credentials)."
        : Partner
            ? $"**Who may call:** a partner's API client whose token carries the scope {string.Join(" and ", Scopes.Order(StringComparer.Ordinal).Select(s => $"`{s}`"))}."
            : Roles.Count == 0
                ? "**Who may call:** any member of the cell with a valid token."
                : $"**Who may call:** a member of the cell with the role {string.Join(" or ", Roles.Order(StringComparer.Ordinal).Select(r => $"`{r}`"))}.";
}
