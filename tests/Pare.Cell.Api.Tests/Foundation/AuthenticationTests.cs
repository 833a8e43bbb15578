using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(PareApp app)
{
    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected_with_401()
    {
        var foreignSettings = new AuthSettings("pare-cell", "pare-cell-api", new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)), null);
        var token = new TokenIssuer(foreignSettings, app.Clock).Issue("intruder", PareApp.CellA, [Roles.Head]);

        var response = await Call(token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_token_is_rejected_with_401()
    {
        var settings = app.Services.GetRequiredService<AuthSettings>();
        var yesterday = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1));
        var token = new TokenIssuer(settings, yesterday).Issue("worker-1", PareApp.CellA, [Roles.Worker], TimeSpan.FromHours(1));

        (await Call(token)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_living_more_than_a_day_is_rejected_with_401()
    {
        var settings = app.Services.GetRequiredService<AuthSettings>();
        var token = new TokenIssuer(settings, TimeProvider.System).Issue("worker-1", PareApp.CellA, [Roles.Worker], TimeSpan.FromDays(30));
        (await Call(token)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_rejected_with_401()
    {
        var settings = app.Services.GetRequiredService<AuthSettings>() with { Audience = "another-api" };
        var token = new TokenIssuer(settings, TimeProvider.System).Issue("worker-1", PareApp.CellA, [Roles.Worker]);

        (await Call(token)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_token_without_a_cell_is_forbidden()
    {
        var settings = app.Services.GetRequiredService<AuthSettings>();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "worker-1", ["role"] = Roles.Worker },
            SigningCredentials = new SigningCredentials(settings.SigningKey, SecurityAlgorithms.HmacSha256),
        });

        (await Call(token)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_401_and_403_answers_are_problem_details_in_French_on_request()
    {
        var response = await app.Anonymous("fr").GetAsync("/api/v1/cases");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.ReadObjectAsync())["title"]!.ToString().ShouldBe("Une authentification est requise.");
    }

    private Task<HttpResponseMessage> Call(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync("/api/v1/cases");
    }
}

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(PareApp app)
{
    [Fact]
    public async Task The_OpenAPI_document_describes_the_cases_endpoints_and_bearer_authentication()
    {
        var response = await app.Anonymous().GetAsync("/swagger/v1/swagger.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = await response.ReadObjectAsync();

        document["paths"]!.AsObject().Select(p => p.Key).ShouldContain("/api/v1/cases/{caseId}");
        document["paths"]!["/api/v1/cases"]!["post"]!["operationId"]!.ToString().ShouldBe("OpenCase");
        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.ToString().ShouldBe("bearer");
    }

    [Fact]
    public async Task Swagger_UI_is_served()
    {
        var response = await app.Anonymous().GetAsync("/swagger/index.html");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
