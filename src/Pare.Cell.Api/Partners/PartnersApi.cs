using Pare.Cell.Api.Infrastructure.OpenApi;
using FluentValidation;
using Pare.Cell.Api.Infrastructure.Messaging;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Partners;

/// <summary>
/// The partner directory and partner API clients (head, admin), and the token endpoint partners
/// call with their client credentials (OAuth 2, <c>grant_type=client_credentials</c>).
/// </summary>
public static class PartnersApi
{
    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder app)
    {
        // Workers read the directory (to refer); heads and admins manage it. Its clients read case data:
        // the head's alone, never the admin's (separation of duties, SECURITY.md).
        var partners = app.MapGroup("/api/v1/partners").WithTag("Partners", "The cell's partner directory (organisations, contacts, webhook), the API clients issued to partners, and their webhook delivery log.");

        partners.MapPost("/", async (SavePartner body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var saved = await mediator.Send(body, ct);
                ETags.Set(http, saved.Revision);
                return TypedResults.Created($"/api/v1/partners/{saved.View.Id}", saved.View);
            })
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .Versioned().WithName("CreatePartner").WithSummary("Add a partner organisation to the cell's directory (head, admin)");
        partners.MapPut("/{partnerId:guid}", async (Guid partnerId, SavePartner body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var saved = await mediator.Send(body with { PartnerId = partnerId, ExpectedRevision = IfMatch.ExpectedVersionOrZero(http) }, ct);
                return Answers.Tagged(http, saved.Revision, saved.View);
            })
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .Versioned(IfMatchUse.Required).WithName("UpdatePartner").WithSummary("Replace a partner's details (head, admin); If-Match with the ETag read is required");
        partners.MapGet("/", async (IQuerySession session, CancellationToken ct) =>
                TypedResults.Ok((await session.Query<Partner>().OrderBy(p => p.Name).ToListAsync(ct)).Select(PartnerView.Of).ToList()))
            .RequireAuthorization(AccessPolicies.CaseWork)
            .WithName("ListPartners").WithSummary("The cell's partner directory");
        partners.MapGet("/{partnerId:guid}", async Task<Results<Ok<PartnerView>, NotFound>> (Guid partnerId, IQuerySession session, HttpContext http, CancellationToken ct) =>
            {
                if (await session.LoadAsync<Partner>(partnerId, ct) is not { } partner) return TypedResults.NotFound();
                return Answers.Tagged(http, partner.Revision, PartnerView.Of(partner));
            })
            .RequireAuthorization(AccessPolicies.CaseWork)
            .Versioned().WithName("GetPartner").WithSummary("One partner");

        partners.MapPost("/{partnerId:guid}/clients", async Task<Results<Created<PartnerClients.Issued>, NotFound, ValidationProblem>> (
                Guid partnerId, IssueClientRequest body, IQuerySession session, CurrentUser user, PartnerClients clients, CancellationToken ct) =>
            {
                if (await session.LoadAsync<Partner>(partnerId, ct) is null) return TypedResults.NotFound();
                var scopes = (body.Scopes ?? []).Distinct().ToList();
                if (scopes.Count == 0 || scopes.Except(PartnerClients.KnownScopes).Any())
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["scopes"] = [new Bilingual($"Choose among: {string.Join(", ", PartnerClients.KnownScopes)}.", $"Choisissez parmi : {string.Join(", ", PartnerClients.KnownScopes)}.").ToString()] });
                var issued = await clients.IssueAsync(user.CellId, partnerId, scopes, user.UserId, ct);
                return TypedResults.Created($"/api/v1/partners/{partnerId}/clients/{issued.ClientId}", issued);
            })
            .AddEndpointFilter<ValidateBody<IssueClientRequest>>()
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("IssuePartnerClient").WithSummary("Issue API credentials to a partner: the secret is shown once, stored hashed; who issued it is recorded (head only)");
        partners.MapGet("/{partnerId:guid}/clients", async Task<Results<Ok<IReadOnlyList<PartnerClients.Client>>, NotFound>> (
                Guid partnerId, IQuerySession session, CurrentUser user, PartnerClients clients, CancellationToken ct) =>
                await session.LoadAsync<Partner>(partnerId, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await clients.ListAsync(user.CellId, partnerId, ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("ListPartnerClients").WithSummary("A partner's API clients (never their secrets)");
        partners.MapPost("/{partnerId:guid}/clients/{clientId:maxlength(100)}/rotation", async Task<Results<Ok<PartnerClients.Issued>, NotFound>> (
                Guid partnerId, string clientId, CurrentUser user, PartnerClients clients, CancellationToken ct) =>
                await clients.RotateAsync(user.CellId, partnerId, clientId, user.UserId, ct) is { } issued ? TypedResults.Ok(issued) : TypedResults.NotFound())
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("RotatePartnerClientSecret").WithSummary("Replace a client's secret (the new one is shown once)");
        partners.MapDelete("/{partnerId:guid}/clients/{clientId:maxlength(100)}", async Task<Results<NoContent, NotFound>> (
                Guid partnerId, string clientId, CurrentUser user, PartnerClients clients, CancellationToken ct) =>
                await clients.RevokeAsync(user.CellId, partnerId, clientId, user.UserId, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("RevokePartnerClient").WithSummary("Revoke a client: its tokens stop working on the next request");
        partners.MapGet("/{partnerId:guid}/webhook-deliveries", async Task<Results<Ok<List<WebhookDelivery>>, NotFound>> (
                Guid partnerId, IQuerySession session, NpgsqlDataSource dataSource, CurrentUser user, CancellationToken ct) =>
            {
                if (await session.LoadAsync<Partner>(partnerId, ct) is null) return TypedResults.NotFound();
                var referralIds = (await session.Query<Domain.Referrals.Referral>().Where(r => r.PartnerId == partnerId).Select(r => r.Id).ToListAsync(ct)).ToArray();
                await using var command = dataSource.CreateCommand("""
                    select alert_id, case_id, created_at, attempts, delivered_at, last_error, dead_at from pare.alert_outbox
                    where cell_id = $1 and kind = 'ReferralUpdate' and case_id = any($2) order by created_at desc limit 200
                    """);
                command.Parameters.Add(new() { Value = user.CellId });
                command.Parameters.Add(new() { Value = referralIds });
                var rows = new List<WebhookDelivery>();
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    rows.Add(new WebhookDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3),
                        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
                return TypedResults.Ok(rows);
            })
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .WithName("ListWebhookDeliveries").WithSummary("The delivery log of a partner's webhooks: attempts, success, last error");

        app.MapPost("/api/v1/partner-auth/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (
                [AsParameters] TokenRequest form, PartnerClients clients, TokenIssuer tokens, HttpContext http, CancellationToken ct) =>
            {
                if (form.GrantType != "client_credentials") return Problem(400, "unsupported_grant_type", ProblemCodes.UnsupportedGrantType);
                if (string.IsNullOrEmpty(form.ClientId) || string.IsNullOrEmpty(form.ClientSecret) || form.ClientId.Length > 100) return Problem(401, "invalid_client", ProblemCodes.InvalidClient);
                var outcome = await clients.AuthenticateAsync(form.ClientId, form.ClientSecret, ct);
                if (outcome is PartnerClients.Authentication.Locked locked)
                {
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(locked.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Problem(429, "invalid_client", ProblemCodes.TooManyRequests);
                }
                if (outcome is not PartnerClients.Authentication.Accepted { Client: var client }) return Problem(401, "invalid_client", ProblemCodes.InvalidClient);
                var asked = form.Scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [.. client.Scopes];
                if (asked.Except(client.Scopes).Any()) return Problem(400, "invalid_scope", ProblemCodes.InvalidScope);
                var token = tokens.IssuePartner(client.ClientId, client.CellId, client.PartnerId, asked, client.IssuedBy);
                return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)TokenIssuer.PartnerTokenLifetime.TotalSeconds, string.Join(' ', asked)));
            })
            .AddEndpointFilter<ValidateBody<TokenRequest>>()
            .WithMetadata(new Infrastructure.OpenApi.OAuthErrors())
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Partner integration")
            .WithName("IssuePartnerToken")
            .WithSummary("Client credentials → a 15-minute bearer token with the granted scopes")
            .WithDescription("`application/x-www-form-urlencoded`: `grant_type=client_credentials`, `client_id`, `client_secret`, optional `scope` (space-separated: referrals:read, referrals:respond, episodes:report). Errors carry an OAuth `error` code.")
            .DocumentsProblem(401, "`invalid_client`: unknown client id, wrong secret or revoked client — the same answer, after the same work, for each.")
            .DocumentsProblem(429, $"After {PartnerClients.MaxFailures} failures for one client id within {PartnerClients.FailureWindow.TotalMinutes} minutes, every attempt for it, right or wrong, until the window ends (`Retry-After`); or too many requests from one address.");
        return app;
    }

    /// <summary>The OAuth error (RFC 6749 §5.2) in <c>error</c>, beside the stable <c>code</c> every problem carries.</summary>
    private static ProblemHttpResult Problem(int status, string error, string code) =>
        TypedResults.Problem(statusCode: status, extensions: new Dictionary<string, object?> { [OAuthErrorMember] = error, [Problems.CodeMember] = code });

    public const string OAuthErrorMember = "error";
}

/// <param name="Scopes">What the client's tokens may do: one or more of referrals:read, referrals:respond, episodes:report.</param>
public sealed record IssueClientRequest(IReadOnlyList<string>? Scopes);

public sealed class IssueClientRequestValidator : AbstractValidator<IssueClientRequest>
{
    public IssueClientRequestValidator()
    {
        RuleFor(r => r.Scopes).NotEmpty().MaximumCount(PartnerClients.KnownScopes.Length * 2);
        RuleForEach(r => r.Scopes).In(PartnerClients.KnownScopes);
    }
}

/// <summary>The token request (RFC 6749 §4.4.2), an <c>application/x-www-form-urlencoded</c> form.</summary>
/// <param name="GrantType">Always <c>client_credentials</c> (any other answers <c>unsupported_grant_type</c>).</param>
/// <param name="Scope">The scopes wanted, space-separated, among the client's (all of them when absent).</param>
public sealed record TokenRequest(
    [property: FromForm(Name = "grant_type")] string? GrantType,
    [property: FromForm(Name = "client_id")] string? ClientId,
    [property: FromForm(Name = "client_secret")] string? ClientSecret,
    [property: FromForm(Name = "scope")] string? Scope);

public sealed class TokenRequestValidator : AbstractValidator<TokenRequest>
{
    public TokenRequestValidator()
    {
        RuleFor(f => f.GrantType).NotEmpty().MaximumLength(50);
        RuleFor(f => f.ClientId).NotEmpty().MaximumLength(100);
        RuleFor(f => f.ClientSecret).NotEmpty().MaximumLength(200);
        RuleFor(f => f.Scope).MaximumLength(200);
    }
}

public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

/// <param name="DeadAt">When it was given up (after <c>Alerts:PartnerWebhookRetryFor</c>); <c>LastError</c> says why.</param>
public sealed record WebhookDelivery(Guid MessageId, Guid ReferralId, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? DeliveredAt, string? LastError,
    DateTimeOffset? DeadAt);
