using System.Globalization;
using System.Text.Json;
using FluentValidation;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// Every error leaves as RFC 9457 ProblemDetails, in French or English from Accept-Language.
/// A client's mistake is a 4xx naming the field; a database outage is a 503; only our own
/// defects are 500s, and they carry a trace id, never the exception text.
/// </summary>
public static class Problems
{
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("fr")];

    /// <summary>The stable code of the problem (<see cref="ProblemCodes"/>), and the request's trace id to report.</summary>
    public const string CodeMember = "code";
    public const string TraceIdMember = "traceId";

    public static IServiceCollection AddPareProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;
            problem.Title = TitleFor(status)?.ToString() ?? problem.Title;
            // RFC 9457: a problem without a type is "about:blank"; stated, so that every problem carries the same members.
            problem.Type ??= "about:blank";
            if (!problem.Extensions.ContainsKey(CodeMember)) problem.Extensions[CodeMember] = ProblemCodes.ForStatus(status);
            // The W3C trace id: the one every log line of this request and its spans carry.
            problem.Extensions[TraceIdMember] = Telemetry.PareTracing.CurrentTraceId ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ExceptionToProblem>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UsePareProblemDetails(this IApplicationBuilder app)
    {
        // Localization first so the exception handler below still runs in the request's culture.
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en"),
            SupportedCultures = SupportedCultures,
            SupportedUICultures = SupportedCultures,
            // The console is in French whatever the browser asks; the API follows Accept-Language.
            RequestCultureProviders =
            [
                new CustomRequestCultureProvider(http => Task.FromResult(
                    WebConsole.Infrastructure.ConsolePaths.IsConsole(http.Request) ? new ProviderCultureResult("fr") : null)),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ],
        });
        // The exception handler removes ETag from every answer it writes (a callback at the response's
        // start); a 412 must carry the current one. Callbacks run last-registered first, so this one,
        // registered before the handler's, puts it back after.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Items[CurrentETagItem] is string etag) context.Response.Headers.ETag = etag;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    internal const string CurrentETagItem = "pare.current-etag";

    public static Bilingual? TitleFor(int status) => status switch
    {
        400 => new("The request is invalid.", "La requête est invalide."),
        401 => new("Authentication is required.", "Une authentification est requise."),
        403 => new("You are not allowed to do this.", "Vous n'êtes pas autorisé·e à faire cela."),
        404 => new("Not found.", "Introuvable."),
        409 => new("The request conflicts with the case's current state.", "La demande contredit l'état actuel du dossier."),
        412 => new("The resource has changed since you read it.", "La ressource a changé depuis votre lecture."),
        413 => new("The request body is too large.", "Le corps de la requête est trop volumineux."),
        415 => new("Unsupported media type.", "Type de contenu non pris en charge."),
        422 => new("The request cannot be processed.", "La demande ne peut pas être traitée."),
        428 => new("A version precondition (If-Match) is required.", "Une précondition de version (If-Match) est requise."),
        429 => new("Too many requests.", "Trop de requêtes."),
        503 => new("The service is temporarily unavailable.", "Le service est temporairement indisponible."),
        500 => new("An unexpected error occurred.", "Une erreur inattendue s'est produite."),
        _ => null,
    };

    /// <summary>400 with one entry per invalid field, keyed by its JSON path ("placement.kind").</summary>
    public static ValidationProblemDetails Invalid(IDictionary<string, string[]> errors) =>
        new(errors) { Status = StatusCodes.Status400BadRequest, Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1" };

    public static Bilingual InvalidValue { get; } = new("The value is not valid for this field.", "La valeur n'est pas valide pour ce champ.");
    public static Bilingual MissingValue { get; } = new("This parameter is required.", "Ce paramètre est obligatoire.");
    public static Bilingual UnstorableText { get; } = new("The request contains characters that cannot be stored (such as U+0000).", "La requête contient des caractères impossibles à enregistrer (comme U+0000).");
    public static Bilingual MissingBody { get; } = new("A JSON request body is required.", "Un corps de requête JSON est requis.");
}

internal sealed class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            ValidationException validation => Problems.Invalid(validation.Errors
                .GroupBy(e => e.PropertyName)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
            BadHttpRequestException { InnerException: JsonException json } => Problems.Invalid(
                new Dictionary<string, string[]> { [FieldOf(json)] = [Problems.InvalidValue.ToString()] }),
            BadHttpRequestException bad when ParameterOf(bad) is ({ } parameter, var missing) => Problems.Invalid(
                new Dictionary<string, string[]> { [parameter] = [(missing ? Problems.MissingValue : Problems.InvalidValue).ToString()] }),
            BadHttpRequestException bad when bad.StatusCode == 400 && bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [Problems.MissingBody.ToString()] }),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode },
            PreconditionRequiredException => new ProblemDetails { Status = 428, Detail = PreconditionRequiredException.Explanation.ToString() },
            Photos.PhotoRejectedException photo => Problems.Invalid(new Dictionary<string, string[]> { ["photo"] = [photo.Reason.ToString()] }),
            Cases.Opening.ProbableDuplicateException duplicate => new ProblemDetails
            {
                Status = 409,
                Detail = duplicate.Refusal.Reason.ToString(),
                Extensions = { ["code"] = duplicate.Refusal.Code, ["candidates"] = duplicate.Candidates },
            },
            RefusedException { Refusal: { Kind: RefusalKind.Invalid, Field: { } field } } invalid => Problems.Invalid(
                new Dictionary<string, string[]> { [field] = [invalid.Refusal.Reason.ToString()] }),
            RefusedException refused => new ProblemDetails
            {
                Status = refused.Refusal.Kind switch { RefusalKind.Unprocessable => 422, RefusalKind.NotFound => 404, RefusalKind.Forbidden => 403, _ => 409 },
                Detail = refused.Refusal.Reason.ToString(),
                Extensions = { [Problems.CodeMember] = refused.Refusal.Code },
            },
            PreconditionFailedException => new ProblemDetails { Status = 412 },
            ConcurrencyException or ExistingStreamIdCollisionException => new ProblemDetails { Status = 412 },
            DocumentAlreadyExistsException => new ProblemDetails { Status = 409 },
            _ when Unstorable(exception) => Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [Problems.UnstorableText.ToString()] }),
            _ when Database.DatabaseOutage.Is(exception) => new ProblemDetails { Status = 503 },
            _ => new ProblemDetails { Status = 500 },
        };

        if (problem.Status == 500)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        else if (problem.Status == 503)
        {
            // An outage, not a defect: no stack trace; the client is told when PostgreSQL is usually back.
            logger.LogWarning("Database unavailable on {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, OutageCause(exception));
            context.Response.Headers.RetryAfter = Database.DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (exception is PreconditionFailedException stale) context.Items[Problems.CurrentETagItem] = ETags.For(stale.CurrentVersion);
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>"$.placement.kind" → "placement.kind"; the JSON path System.Text.Json reports.</summary>
    private static string FieldOf(JsonException json)
    {
        var path = json.Path;
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    /// <summary>
    /// A route or query value that could not be bound ('Failed to bind parameter "int? limit" from "abc".'),
    /// or a required one that is absent ('Required parameter "string cell" was not provided from query string.').
    /// </summary>
    private static (string? Name, bool Missing) ParameterOf(BadHttpRequestException bad)
    {
        var match = System.Text.RegularExpressions.Regex.Match(bad.Message, "parameter \"[^\"]*?(\\w+)\" (from|was not provided)");
        // A member of a record bound [AsParameters] is named as the query names it: Limit → limit.
        return match.Success ? (System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(match.Groups[1].Value), match.Groups[2].Value != "from") : (null, false);
    }

    /// <summary>Text PostgreSQL refuses to store (a NUL inside a free-form answer, a lone surrogate): the client's mistake.</summary>
    private static bool Unstorable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: "22P05" or "22021" or "22P02" }) return true;
        return false;
    }

    private static string OutageCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException postgres) return postgres.SqlState;
        return exception.GetType().Name;
    }
}
