using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// Under <c>/app</c>, an error is a page in French, not a JSON document: the same ProblemDetails the API
/// writes (status, title, detail) rendered for a person. A missing case and another cell's case read the
/// same, as on the API.
/// </summary>
internal sealed class ConsoleErrorPages(ConsoleAssets assets) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Request.IsConsole() && !ConsolePaths.IsLive(context.HttpContext.Request);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        var html = ConsoleHtml.Encoder;
        // The API's writer applies its titles itself (CustomizeProblemDetails): the same words here.
        var title = Pare.Cell.Api.Infrastructure.Http.Problems.TitleFor(status)?.French ?? problem.Title ?? "Erreur";
        var body = new StringBuilder();
        body.Append("<h1>").Append(html.Encode(title)).Append("</h1>");
        body.Append("<p>").Append(html.Encode(Explanation(status, problem.Detail))).Append("</p>");
        if (problem is ValidationProblemDetails { Errors.Count: > 0 } invalid)
        {
            body.Append("<ul>");
            foreach (var message in invalid.Errors.SelectMany(e => e.Value)) body.Append("<li>").Append(html.Encode(message)).Append("</li>");
            body.Append("</ul>");
        }
        body.Append("<p><a href=\"/app\">Retour à ma journée</a></p>");

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!doctype html>
            <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{html.Encode(title)} — Pare.Cell</title><link rel="stylesheet" href="{assets.Url("console.css")}"></head>
            <body><header class="top"><a class="brand" href="/app">Pare.Cell</a></header><main id="contenu" class="error-page">{body}</main></body></html>
            """, http.RequestAborted);
    }

    private static string Explanation(int status, string? detail) => detail ?? status switch
    {
        404 => "Cette page ou ce dossier n'existe pas, ou n'est pas de votre cellule.",
        403 => "Votre rôle ne permet pas d'ouvrir cette page.",
        400 => "La saisie envoyée n'a pas pu être lue : rechargez la page et recommencez.",
        429 => "Trop de requêtes en peu de temps : patientez une minute.",
        503 => "Le service est momentanément indisponible : réessayez dans quelques secondes.",
        _ => "Une erreur inattendue s'est produite. Elle est enregistrée (sans vos données) ; réessayez.",
    };
}
