using System.Diagnostics;
using FluentValidation;
using JasperFx;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// What every console page shares. Reads and writes go through the mediator with the very requests the
/// REST endpoints send, in the signed-in member's cell: the same authorization, validation, journal,
/// concurrency checks and idempotency. A refused or invalid command redisplays the form with the API's
/// own French messages; a recorded one answers 303 to the result.
/// </summary>
public abstract class ConsolePage : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    protected IMediator Mediator => HttpContext.RequestServices.GetRequiredService<IMediator>();

    protected TimeProvider Clock => HttpContext.RequestServices.GetRequiredService<TimeProvider>();

    public CurrentUser Me => HttpContext.RequestServices.GetRequiredService<CurrentUser>();

    public bool IsHead => User.IsInRole(Roles.Head);

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>The cell's staff directory, to name people rather than show their ids.</summary>
    protected async Task<StaffNames> StaffAsync() => new(await Mediator.Send(new Api.Staff.GetStaffDirectory(), Aborted));

    /// <summary>The French label of each field, by the JSON path its errors are reported under.</summary>
    protected virtual IReadOnlyDictionary<string, string> Labels => NoLabels;

    public Form Form => new(ModelState, Labels);

    /// <summary>
    /// One per rendered form, posted back in a hidden field: the idempotency middleware records it with the
    /// command's events, so a form sent twice (double tap, flaky network, reload) records once.
    /// </summary>
    [BindProperty(Name = "idempotencyKey")]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Sends a command. A command once received runs to its end even if the browser gives up on the
    /// response: a second tap then finds it recorded and is answered with the same 303.
    /// </summary>
    protected async Task<IActionResult> CommandAsync<T>(Func<CancellationToken, ValueTask<T>> send, Func<T, IActionResult> then, Func<Task<IActionResult>> redisplay)
    {
        try
        {
            return then(await send(CancellationToken.None));
        }
        catch (Exception e) when (NothingRecorded())
        {
            throw new UnreachableException("NothingRecorded() returns false.", e);
        }
        catch (ValidationException invalid)
        {
            foreach (var error in invalid.Errors) ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        }
        catch (RefusedException refused) when (refused.Refusal.Kind == RefusalKind.NotFound)
        {
            return NotFound();
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(refused.Refusal.Kind == RefusalKind.Invalid ? refused.Refusal.Field ?? "" : "", refused.Refusal.Reason.ToString());
        }
        catch (Exception e) when (e is ConcurrencyException or PreconditionRequiredException or PreconditionFailedException)
        {
            ModelState.AddModelError("", Stale.ToString());
        }
        return await redisplay();
    }

    /// <summary>
    /// Every exception caught below comes before or instead of a commit: whatever the command enlisted (its
    /// idempotency key, before a racing writer made it decide again) was rolled back. Where the API lets the
    /// exception end the request, the console answers a page: the middleware must not store that page as the
    /// form's recorded answer. An exception filter, so it runs before the catch blocks, and never catches.
    /// </summary>
    private bool NothingRecorded()
    {
        if (HttpContext.Features.Get<IdempotentRequest>() is { } request) request.Enlisted = false;
        return false;
    }

    public static readonly Bilingual Stale = new(
        "Someone changed this since you opened the page: it now shows the current state; check it and send again.",
        "Quelqu'un a modifié ces informations depuis l'ouverture de la page : elle montre maintenant leur état actuel ; vérifiez puis renvoyez.");

    /// <summary>A confirmation shown after a 303, named in the URL by a fixed word (never free text).</summary>
    public string? Confirmation(IReadOnlyDictionary<string, string> messages) =>
        Request.Query["ok"].ToString() is { Length: > 0 } key && messages.TryGetValue(key, out var message) ? message : null;
}
