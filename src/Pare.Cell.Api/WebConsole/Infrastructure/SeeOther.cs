using Microsoft.AspNetCore.Mvc;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// 303 after a recorded form: the browser GETs the result, so a reload never posts again. The status and
/// location are what the idempotency record stores and replays for a second submission of the same form.
/// </summary>
public sealed class SeeOther(string url) : IActionResult
{
    public string Url { get; } = url;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
