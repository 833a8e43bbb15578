using Microsoft.OpenApi;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>The OpenAPI document at <c>/swagger/v1/swagger.json</c> and Swagger UI at <c>/swagger</c>.</summary>
public static class Swagger
{
    public static IServiceCollection AddPareSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Pare.Cell API",
                Version = "v1",
                Description = """
                    Case tracking for a follow-up cell protecting minors from prostitution: cases, runaway
                    episodes, prosecutor alerts, return interviews, risk assessments, referrals and reminders.

                    Every call but the partner token endpoint and the alert acknowledgement link needs a bearer
                    token (JWT) carrying `sub`, `cell` and `role` claims. Data never crosses cells: another
                    cell's case answers 404 exactly like a case that does not exist.
                    Errors are RFC 9457 ProblemDetails in English or French (`Accept-Language: fr`); validation
                    errors list each invalid field by its JSON path. Updates take `If-Match` with the ETag you
                    read (412 when stale). The case list pages with a cursor: pass `nextCursor` back as `cursor`.
                    """,
            });
            options.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from your identity provider (in development, the run command prints one per role).",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
            });
            options.CustomSchemaIds(type => type.FullName!.Replace("Pare.Cell.Api.", "", StringComparison.Ordinal)
                .Replace("Pare.Cell.Domain.", "", StringComparison.Ordinal).Replace("Microsoft.AspNetCore.Mvc.", "", StringComparison.Ordinal)
                .Replace("Microsoft.AspNetCore.Http.", "", StringComparison.Ordinal).Replace('+', '.'));
            options.SupportNonNullableReferenceTypes();
            // The <summary>/<param> comments on request records and handlers (GenerateDocumentationFile in the csproj).
            var xmlComments = Path.ChangeExtension(typeof(Swagger).Assembly.Location, ".xml");
            if (File.Exists(xmlComments)) options.IncludeXmlComments(xmlComments, includeControllerXmlComments: false);
            // Required request fields: what the FluentValidation validators always demand (members are nullable so they can name them).
            options.SchemaFilter<ValidatorRequiredFilter>();
            // Errors, shared headers and security; versioned endpoints (.Versioned(…)) their ETag and If-Match.
            options.AddOperationFilterInstance(new HttpConventionsFilter());
        });
        return services;
    }

    public static WebApplication UsePareSwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "Pare.Cell API v1");
            ui.DocumentTitle = "Pare.Cell API";
        });
        return app;
    }
}
