using FluentValidation;
using FluentValidation.Results;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// Optimistic concurrency over HTTP: the client sends back the ETag it read as <c>If-Match</c>;
/// a stale one answers 412, a missing one 428 where the update requires it.
/// </summary>
public static class IfMatch
{
    public const string Header = "If-Match";

    /// <summary>The expected stream version, or null when absent (and allowed to be) or "*".</summary>
    public static long? ExpectedVersion(HttpContext http, bool required)
    {
        var value = http.Request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
            return required ? throw new PreconditionRequiredException() : null;
        if (value == "*") return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        if (long.TryParse(value.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version > 0)
            return version;
        throw new ValidationException([new ValidationFailure(Header, Malformed.ToString())]);
    }

    /// <summary>Required, but "0" is allowed: for a stream that may not exist yet (a cell's first policy change).</summary>
    public static long ExpectedVersionOrZero(HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString().Trim().Trim('"');
        return value == "0" ? 0 : ExpectedVersion(http, required: true) ?? 0;
    }

    private static readonly Bilingual Malformed = new(
        "If-Match must be the ETag you read, such as \"3\".", "If-Match doit être l'ETag lu, par exemple \"3\".");
}

/// <summary>
/// The If-Match named another version than the resource's current one: 412, and the answer carries
/// the current ETag, so that the client knows what it would overwrite and need not guess.
/// </summary>
public sealed class PreconditionFailedException(long currentVersion) : Exception($"The resource is at version {currentVersion}.")
{
    public long CurrentVersion { get; } = currentVersion;
}

public sealed class PreconditionRequiredException : Exception
{
    public static readonly Bilingual Explanation = new(
        "Send If-Match with the ETag you read, so that no one else's change is overwritten.",
        "Envoyez If-Match avec l'ETag lu, pour ne pas écraser la modification de quelqu'un d'autre.");

    public PreconditionRequiredException() : base("If-Match required.") { }
}

/// <summary>How an endpoint reads If-Match.</summary>
public enum IfMatchUse
{
    /// <summary>Not read: the endpoint only answers an ETag.</summary>
    None,
    /// <summary>Checked when sent.</summary>
    Optional,
    /// <summary>Required: 428 without it.</summary>
    Required,
}

/// <summary>
/// Endpoint metadata: the endpoint answers the resource's ETag and reads If-Match as stated. Handlers read
/// If-Match themselves, so the endpoint says it, for the OpenAPI document (<c>HttpConventionsFilter</c>).
/// </summary>
public sealed record VersionedResource(IfMatchUse IfMatch);

public static class VersionedEndpoints
{
    public static RouteHandlerBuilder Versioned(this RouteHandlerBuilder endpoint, IfMatchUse ifMatch = IfMatchUse.None) =>
        endpoint.WithMetadata(new VersionedResource(ifMatch));
}
