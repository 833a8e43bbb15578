namespace Pare.Cell.Domain.Common;

/// <summary>
/// A command the domain declines: the request was understood but contradicts the case's
/// current facts. The API answers per <see cref="RefusalKind"/> (409 for a conflict, 422 when
/// unprocessable, 404 when not found, 403 when the caller is not the one who may, 400 naming
/// <see cref="Field"/> when invalid) with
/// <see cref="Code"/> and the localized <see cref="Reason"/>.
/// </summary>
/// <param name="Field">For <see cref="RefusalKind.Invalid"/>: the request field the rule is about.</param>
public sealed record Refusal(string Code, Bilingual Reason, RefusalKind Kind = RefusalKind.Conflict, string? Field = null);

public enum RefusalKind
{
    /// <summary>The case's state forbids it now (HTTP 409).</summary>
    Conflict,
    /// <summary>The request is well formed but cannot be honoured as stated (HTTP 422).</summary>
    Unprocessable,
    /// <summary>The request names something this case does not have (HTTP 404).</summary>
    NotFound,
    /// <summary>A field breaks a domain rule (HTTP 400 naming the field).</summary>
    Invalid,
    /// <summary>A rule about who may do it: this caller is not the one (HTTP 403), whatever the state.</summary>
    Forbidden,
}

/// <summary>Thrown by deciders; pure code keeps its signature `Decide(command, state) → events`.</summary>
public sealed class RefusedException(Refusal refusal) : Exception(refusal.Code)
{
    public Refusal Refusal { get; } = refusal;
}
