using Microsoft.AspNetCore.Authorization;
using Pare.Cell.Api.Partners;

namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>
/// A partner token must carry this scope (its space-separated <c>scope</c> claim). A requirement of its own,
/// rather than an assertion, so that what a route demands can be read back: the OpenAPI document states
/// each partner operation's scope from it.
/// </summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasScope(requirement.Scope)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
