namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// Endpoint metadata: an answer the endpoint gives beyond the conventions (an anonymous endpoint's
/// 401…), described in the OpenAPI document by <c>HttpConventionsFilter</c>.
/// </summary>
public sealed record DocumentedProblem(int Status, string Description);

public static class DocumentedProblems
{
    public static RouteHandlerBuilder DocumentsProblem(this RouteHandlerBuilder endpoint, int status, string description) =>
        endpoint.WithMetadata(new DocumentedProblem(status, description));
}
