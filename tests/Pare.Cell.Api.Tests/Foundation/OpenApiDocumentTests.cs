using System.Net;
using System.Text.Json.Nodes;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// What partners' developers generate clients from: the errors, headers and security the pipeline
/// applies around the handlers must be in the OpenAPI document, not only in prose.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(PareApp app)
{
    [Fact]
    public async Task A_write_to_a_case_documents_its_problem_responses_and_request_headers()
    {
        var document = await DocumentAsync();
        var operation = document["paths"]!["/api/v1/cases/{caseId}/episodes"]!["post"]!;
        var responses = operation["responses"]!;

        var invalid = Schema(document, responses["400"]!, "application/problem+json");
        invalid["properties"]!["errors"].ShouldNotBeNull();
        foreach (var status in new[] { "401", "403", "404", "409", "412", "422", "428", "429" })
            Schema(document, responses[status]!, "application/problem+json")["properties"]!["status"].ShouldNotBeNull();
        responses["429"]!["headers"]!["Retry-After"].ShouldNotBeNull();
        responses["201"]!["headers"]!["ETag"].ShouldNotBeNull();
        responses["201"]!["headers"]!["Location"].ShouldNotBeNull();

        var idempotencyKey = Parameter(operation, "Idempotency-Key");
        idempotencyKey["required"]?.GetValue<bool>().ShouldNotBe(true);
        idempotencyKey["schema"]!["maxLength"]!.GetValue<int>().ShouldBe(200);
        Parameter(operation, "If-Match")["required"]?.GetValue<bool>().ShouldNotBe(true);
        Parameter(operation, "Accept-Language")["schema"]!["enum"]!.AsArray().Select(e => e!.ToString()).ShouldBe(["en", "fr"]);
    }

    [Fact]
    public async Task Reads_and_updates_of_a_case_document_the_ETag_and_If_Match_protocol()
    {
        var document = await DocumentAsync();

        var read = document["paths"]!["/api/v1/cases/{caseId}"]!["get"]!;
        read["responses"]!["200"]!["headers"]!["ETag"].ShouldNotBeNull();
        read["responses"]!["404"]!["description"]!.ToString().ShouldContain("another cell");
        Parameter(read, "Accept-Language").ShouldNotBeNull();
        read["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "Idempotency-Key");
        document["paths"]!["/api/v1/cases/{caseId}/episodes"]!["get"]!["responses"]!["200"]!["headers"]?["ETag"].ShouldBeNull();

        var update = document["paths"]!["/api/v1/cases/{caseId}/assignment"]!["put"]!;
        Parameter(update, "If-Match")["required"]!.GetValue<bool>().ShouldBeTrue();
        update["responses"]!.AsObject().Select(r => r.Key).ShouldContain("412");
        update["responses"]!.AsObject().Select(r => r.Key).ShouldContain("428");

        var opening = document["paths"]!["/api/v1/cases"]!["post"]!;
        opening["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "If-Match");
    }

    [Fact]
    public async Task Anonymous_endpoints_carry_no_security_requirement_while_the_others_keep_the_bearer_one()
    {
        var document = await DocumentAsync();
        document["security"]!.AsArray().ShouldContain(r => r!["bearer"] != null);

        var acknowledgement = document["paths"]!["/api/v1/alerts/{alertId}/acknowledgement"]!["post"]!;
        acknowledgement["security"]!.AsArray().ShouldBeEmpty();
        acknowledgement["responses"]!.AsObject().Select(r => r.Key).ShouldNotContain("401");
        acknowledgement["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "Idempotency-Key");
        document["paths"]!["/api/v1/partner-auth/token"]!["post"]!["security"]!.AsArray().ShouldBeEmpty();

        var authenticated = document["paths"]!["/api/v1/cases/{caseId}"]!["get"]!;
        (authenticated["security"] is null || authenticated["security"]!.AsArray().Count > 0).ShouldBeTrue();
        authenticated["responses"]!["401"].ShouldNotBeNull();
    }

    private async Task<JsonObject> DocumentAsync()
    {
        var response = await app.Anonymous().GetAsync("/swagger/v1/swagger.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    /// <summary>The component schema a response's content references, which must exist.</summary>
    private static JsonNode Schema(JsonObject document, JsonNode response, string mediaType)
    {
        var reference = response["content"]![mediaType]!["schema"]!["$ref"]!.ToString();
        reference.ShouldStartWith("#/components/schemas/");
        return document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]
            ?? throw new ShouldAssertException($"{reference} is not in components.schemas");
    }

    private static JsonNode Parameter(JsonNode operation, string header) =>
        operation["parameters"]!.AsArray().SingleOrDefault(p => p!["in"]!.ToString() == "header" && p["name"]!.ToString() == header)
            ?? throw new ShouldAssertException($"No {header} header parameter on {operation["operationId"]}");
}
