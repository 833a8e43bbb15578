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

public sealed class PreconditionRequiredException : Exception
{
    public static readonly Bilingual Explanation = new(
        "Send If-Match with the ETag you read, so that no one else's change is overwritten.",
        "Envoyez If-Match avec l'ETag lu, pour ne pas écraser la modification de quelqu'un d'autre.");

    public PreconditionRequiredException() : base("If-Match required.") { }
}
