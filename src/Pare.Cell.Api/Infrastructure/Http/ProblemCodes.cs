using System.Reflection;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// The stable <c>code</c> every problem carries, for clients to switch on (never on <c>detail</c>, which is
/// localized prose): a domain refusal's own code (<see cref="Refusal.Code"/>), else one of these, said by the
/// pipeline, else the generic code of the status. The OpenAPI document lists <see cref="All"/> as an enum and
/// the README lists them; a code is declared here or as a <see cref="Refusal"/>, nowhere else.
/// </summary>
public static class ProblemCodes
{
    public const string InvalidRequest = "invalid-request";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string Conflict = "conflict";
    public const string PreconditionFailed = "precondition-failed";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string Unprocessable = "unprocessable";
    public const string PreconditionRequired = "precondition-required";
    public const string TooManyRequests = "too-many-requests";
    public const string InternalError = "internal-error";
    public const string Unavailable = "unavailable";

    /// <summary>A request with the same Idempotency-Key is still being processed.</summary>
    public const string IdempotentRequestPending = "idempotent-request-pending";
    /// <summary>An Idempotency-Key already used with another request body.</summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";

    /// <summary>The token endpoint (RFC 6749 §5.2, beside the OAuth <c>error</c> member).</summary>
    public const string UnsupportedGrantType = "unsupported-grant-type";
    public const string InvalidClient = "invalid-client";
    public const string InvalidScope = "invalid-scope";

    /// <summary>The code of a problem that names none: the status's own.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        428 => PreconditionRequired,
        429 => TooManyRequests,
        503 => Unavailable,
        _ => InternalError,
    };

    /// <summary>Every declared refusal, by reflection over the static members that hold them.</summary>
    public static IReadOnlyList<Refusal> Refusals { get; } = CollectRefusals();

    // Initialized after Refusals, which it reads.
    /// <summary>Every code a problem may carry: these, and every refusal the domain and the API declare.</summary>
    public static IReadOnlyList<string> All { get; } = Collect();

    private static List<string> Collect() =>
        [.. typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Concat(Refusals.Select(r => r.Code)).Distinct().Order(StringComparer.Ordinal)];

    private static List<Refusal> CollectRefusals()
    {
        const BindingFlags statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return [.. new[] { typeof(Refusal).Assembly, typeof(ProblemCodes).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(statics).Where(f => f.FieldType == typeof(Refusal)).Select(f => f.GetValue(null))
                .Concat(t.GetProperties(statics).Where(p => p.PropertyType == typeof(Refusal) && p.GetIndexParameters().Length == 0).Select(p => p.GetValue(null))))
            .OfType<Refusal>()
            .DistinctBy(r => r.Code)];
    }
}
