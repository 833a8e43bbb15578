using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/swagger/v1/swagger.json</c> (also written offline by the <c>openapi</c> verb,
/// <see cref="OpenApiDocumentFile"/>) and Swagger UI at <c>/swagger</c>. The document is the contract partners
/// generate clients from: the filters below derive it from the code (validators, results, nullability,
/// authorization), so an endpoint added tomorrow is described as completely as those of today.
/// </summary>
public static class Swagger
{
    public const string DocumentName = "v1";

    /// <summary>OpenAPI 3.1: JSON Schema 2020-12 (<c>type: [string, "null"]</c>) and a <c>webhooks</c> section.</summary>
    public const OpenApiSpecVersion SpecVersion = OpenApiSpecVersion.OpenApi3_1;

    public static IServiceCollection AddPareSwagger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEndpointsApiExplorer();
        services.AddSingleton<SchemaNotes>();
        services.AddSingleton(OpenApiSettings.From(configuration));
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Pare.Cell API",
                Version = "v1",
                Description = """
                    Case tracking for a follow-up cell protecting minors from prostitution: cases, runaway
                    episodes, prosecutor alerts, return interviews, risk assessments, referrals and reminders;
                    and the partner integration (116 000, associations, ASE/CRIP, police, hospitals).

                    Every call but the partner token endpoint and the alert acknowledgement link needs a bearer
                    token: a cell member's JWT carrying `sub`, `cell` and `role`, or a partner client's token from
                    `POST /api/v1/partner-auth/token`. Data never crosses cells: another cell's case answers 404
                    exactly like a case that does not exist.

                    Errors are RFC 9457 problems with a stable `code` and a `traceId`, in English or French
                    (`Accept-Language: fr`); validation errors list each invalid field by its JSON path. Updates
                    take `If-Match` with the ETag you read (412 when stale, 428 when required and missing); every
                    authenticated POST takes an `Idempotency-Key`. The case list pages with a cursor: pass
                    `nextCursor` back as `cursor`.
                    """,
            });
            options.AddSecurityDefinition(Access.MemberScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A cell member's JWT, from the cell's OpenID Connect provider (in development, the run command prints one per role). "
                    + TokenRules,
            });
            options.AddSecurityDefinition(Access.PartnerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "A partner's API client: client credentials (issued by the cell's head or admin) exchanged for a 15-minute "
                    + "bearer token carrying the granted scopes. " + TokenRules,
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri("/api/v1/partner-auth/token", UriKind.Relative),
                        Scopes = new Dictionary<string, string>
                        {
                            ["referrals:read"] = "Read the referrals addressed to the partner, and the parts of the case each shares.",
                            ["referrals:respond"] = "Acknowledge, accept, decline, report progress on and complete them.",
                            ["episodes:report"] = "Report a disappearance or a return of a minor an accepted referral links the partner to.",
                        },
                    },
                },
            });
            options.CustomSchemaIds(type => type.FullName!.Replace("Pare.Cell.Api.", "", StringComparison.Ordinal)
                .Replace("Pare.Cell.Domain.", "", StringComparison.Ordinal).Replace("Microsoft.AspNetCore.Mvc.", "", StringComparison.Ordinal)
                .Replace("Microsoft.AspNetCore.Http.", "", StringComparison.Ordinal).Replace('+', '.'));
            options.SupportNonNullableReferenceTypes();
            // Query records bound [AsParameters] name their members as the JSON does (binding ignores case).
            options.DescribeAllParametersInCamelCase();
            // Free-form JSON (a timeline entry's recorded fact, interview answers) is any JSON, not the .NET types holding it.
            foreach (var freeForm in new[] { typeof(JsonNode), typeof(JsonElement), typeof(JsonDocument) })
                options.MapType(freeForm, () => new OpenApiSchema { Description = "Any JSON value." });
            options.MapType<JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A JSON object whose members depend on its kind." });
            // The <summary>/<param> comments on request records and handlers (GenerateDocumentationFile in the csproj).
            var xmlComments = Path.ChangeExtension(typeof(Swagger).Assembly.Location, ".xml");
            if (File.Exists(xmlComments)) options.IncludeXmlComments(xmlComments, includeControllerXmlComments: false);
            // What the validators enforce (required fields, limits) and what the server always writes, noted per schema,
            // then decided per use: sent by clients, written by the server, or both.
            options.SchemaFilter<ValidatorSchemaFilter>();
            options.SchemaFilter<WireShapeFilter>();
            options.SchemaFilter<FormatLengthFilter>();
            options.ParameterFilter<QueryParameterFilter>();
            options.RequestBodyFilter<QueryParameterFilter>();
            // Errors, shared headers, security and who may call; versioned endpoints (.Versioned(…)) their ETag and If-Match.
            options.OperationAsyncFilter<HttpConventionsFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
            options.DocumentFilter<DocumentMetadataFilter>();
        });
        // Schemas as the minimal APIs' serializer writes the wire (enums as camelCase strings), not as
        // MVC's options say: the console registers MVC, whose options Swashbuckle would read instead.
        services.AddTransient<Swashbuckle.AspNetCore.SwaggerGen.ISerializerDataContractResolver>(sp => new Swashbuckle.AspNetCore.SwaggerGen.JsonSerializerDataContractResolver(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
        return services;
    }

    /// <summary>What both schemes' tokens are held to (RFC 8725's recommendations as this API applies them).</summary>
    private const string TokenRules = "Tokens are signed JWTs validated as the JWT best current practices (RFC8725) ask: unsigned tokens "
        + "(`alg: none`) are refused, the keys are the API's own (the tokens it issues) or the provider's published keys, the issuer and "
        + "the audience are checked, `exp` is required and no token lives more than a day.";

    public static WebApplication UsePareSwagger(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<OpenApiSettings>();
        app.UseSwagger(o =>
        {
            o.OpenApiVersion = SpecVersion;
            // Without a configured public URL, the document names the server it was read from.
            if (settings.ServerUrl is null)
                o.PreSerializeFilters.Add((document, request) =>
                    document.Servers = [settings.Server($"{request.Scheme}://{request.Host}{request.PathBase}", app.Environment)]);
        });
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "Pare.Cell API v1");
            ui.DocumentTitle = "Pare.Cell API";
        });
        return app;
    }
}
