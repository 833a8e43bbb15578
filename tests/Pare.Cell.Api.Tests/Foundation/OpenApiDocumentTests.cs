using System.Net;
using System.Text.Json.Nodes;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// What partners' developers generate clients from: the errors, headers and security the pipeline
/// applies around the handlers, and the fields the validators require, must be in the OpenAPI document,
/// not only in prose.
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
        // The validation problem is the problem and its `errors`, typed: a map of field paths to messages.
        invalid["allOf"]![0]!["$ref"]!.ToString().ShouldBe("#/components/schemas/Problem");
        invalid["allOf"]![1]!["properties"]!["errors"]!["additionalProperties"]!["items"]!["type"]!.ToString().ShouldBe("string");
        foreach (var status in new[] { "401", "403", "404", "409", "412", "422", "428", "429", "503" })
        {
            var problem = Schema(document, responses[status]!, "application/problem+json");
            Required(problem).ShouldBe(["type", "title", "status", "code", "traceId"], ignoreOrder: true);
            problem["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.ToString()).ShouldContain("idempotency-key-reused");
        }
        responses["503"]!["headers"]!["Retry-After"].ShouldNotBeNull();
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
    public async Task A_partner_documents_its_ETag_and_If_Match_while_its_clients_do_not()
    {
        var document = await DocumentAsync();

        document["paths"]!["/api/v1/partners/{partnerId}"]!["get"]!["responses"]!["200"]!["headers"]!["ETag"].ShouldNotBeNull();
        document["paths"]!["/api/v1/partners"]!["post"]!["responses"]!["201"]!["headers"]!["ETag"].ShouldNotBeNull();
        var update = document["paths"]!["/api/v1/partners/{partnerId}"]!["put"]!;
        Parameter(update, "If-Match")["required"]!.GetValue<bool>().ShouldBeTrue();
        update["responses"]!.AsObject().Select(r => r.Key).ShouldContain("412");
        update["responses"]!.AsObject().Select(r => r.Key).ShouldContain("428");

        var issuing = document["paths"]!["/api/v1/partners/{partnerId}/clients"]!["post"]!;
        issuing["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "If-Match");
        issuing["responses"]!["201"]!["headers"]?["ETag"].ShouldBeNull();
    }

    [Fact]
    public async Task Only_endpoints_that_read_If_Match_document_it_and_only_as_they_read_it()
    {
        var document = await DocumentAsync();

        // Required by the handler on a POST too; checked when sent on another; never read by a preview.
        Parameter(document["paths"]!["/api/v1/cases/{caseId}/closure"]!["post"]!, "If-Match")["required"]!.GetValue<bool>().ShouldBeTrue();
        var optional = Parameter(document["paths"]!["/api/v1/cases/{caseId}/corrections"]!["post"]!, "If-Match").ShouldNotBeNull();
        (optional["required"]?.GetValue<bool>() ?? false).ShouldBeFalse();
        var preview = document["paths"]!["/api/v1/cases/{caseId}/risk-assessments/preview"]!["post"]!;
        preview["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "If-Match");
        preview["responses"]!.AsObject().Select(r => r.Key).ShouldNotContain("412");
        document["paths"]!["/api/v1/cases/{caseId}/risk-assessments"]!["get"]!["responses"]!["200"]!["headers"]?["ETag"].ShouldBeNull();
    }

    [Fact]
    public async Task Anonymous_endpoints_carry_no_security_requirement_while_the_others_keep_the_bearer_one()
    {
        var document = await DocumentAsync();

        var acknowledgement = document["paths"]!["/api/v1/alerts/{alertId}/acknowledgement"]!["post"]!;
        acknowledgement["security"]!.AsArray().ShouldBeEmpty();
        acknowledgement["responses"]!.AsObject().Select(r => r.Key).ShouldNotContain("401");
        acknowledgement["parameters"]!.AsArray().ShouldNotContain(p => p!["name"]!.ToString() == "Idempotency-Key");
        document["paths"]!["/api/v1/partner-auth/token"]!["post"]!["security"]!.AsArray().ShouldBeEmpty();

        var authenticated = document["paths"]!["/api/v1/cases/{caseId}"]!["get"]!;
        authenticated["security"]!.AsArray().ShouldContain(r => r!["bearer"] != null);
        // A partner's operation names the partner scheme and the scope it needs.
        var partnerRead = document["paths"]!["/api/v1/partner/referrals"]!["get"]!;
        partnerRead["security"]!.AsArray().Single()!["partnerClient"]!.AsArray().Select(s => s!.ToString()).ShouldBe(["referrals:read"]);
        authenticated["responses"]!["401"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Opening_a_case_documents_as_required_the_fields_its_validator_always_requires()
    {
        var document = await DocumentAsync();

        var opening = RequestBody(document, "/api/v1/cases");
        Required(opening).ShouldBe(["dateOfBirth", "firstName", "lastName", "placement"], ignoreOrder: true);
        Required(opening).ShouldNotContain("assignedWorkerId"); // validated only when sent: absent means the caller
        Types(opening["properties"]!["firstName"]!).ShouldBe(["string"]); // NotEmpty rejects null
        opening["properties"]!["firstName"]!["maxLength"]!.GetValue<int>().ShouldBe(100); // the validator's limit
        Types(opening["properties"]!["assignedWorkerId"]!).ShouldContain("null");
        // Through the child validator: a placement's kind is always required, its establishment only for some kinds.
        var placement = Resolve(document, opening["properties"]!["placement"]!);
        Required(placement).ShouldContain("kind");
        Required(placement).ShouldNotContain("establishment");
        // Included rules count: changing a placement includes the placement validator.
        Required(RequestBody(document, "/api/v1/cases/{caseId}/placement", "put")).ShouldContain("kind");
    }

    [Fact]
    public async Task Reporting_a_runaway_documents_which_fields_its_validator_requires()
    {
        var document = await DocumentAsync();

        var runaway = RequestBody(document, "/api/v1/cases/{caseId}/episodes");
        Required(runaway).ShouldBe(["classification", "lastSeenAt", "lastSeenPlace", "reportedBy"], ignoreOrder: true);
        Required(runaway).ShouldNotContain("circumstances");
    }

    [Fact]
    public async Task Request_schemas_carry_the_XML_comments_of_their_records()
    {
        var document = await DocumentAsync();

        // <summary> on the record, <param> on its members.
        (RequestBody(document, "/api/v1/cases")["description"]?.ToString() ?? "").ShouldStartWith("Open a case");
        var information = document["components"]!["schemas"]!.AsObject().Single(s => s.Key.EndsWith(".AddEpisodeInformationRequest", StringComparison.Ordinal)).Value!;
        (information["properties"]!["dangerDeclared"]!["description"]?.ToString() ?? "").ShouldContain("danger");
    }

    [Fact]
    public async Task The_problem_codes_are_an_enum_of_the_document_and_the_README_lists_exactly_them()
    {
        var document = await DocumentAsync();
        var codes = document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.ToString()).ToList();
        codes.ShouldBe(Api.Infrastructure.Http.ProblemCodes.All, ignoreOrder: true);
        codes.ShouldContain("only-sender-or-head"); // a domain refusal's code, not only the pipeline's

        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var line = readme.Split("\n- Every problem carries a stable `code`", 2)[1].Split(".\n", 2)[0];
        System.Text.RegularExpressions.Regex.Matches(line, "`([a-z-]+)`").Select(m => m.Groups[1].Value).Where(c => c != "code" && c != "detail")
            .ShouldBe(codes, ignoreOrder: true);
    }

    [Fact]
    public async Task The_document_states_its_servers_contact_and_licence_and_describes_every_tag()
    {
        var document = await DocumentAsync();
        document["servers"]!.AsArray().ShouldNotBeEmpty();
        document["info"]!["contact"]!["name"].ShouldNotBeNull();
        document["info"]!["license"]!["name"].ShouldNotBeNull();
        document["tags"]!.AsArray().ShouldAllBe(t => !string.IsNullOrWhiteSpace((string?)t!["description"]));
        // Enums as the wire spells them (camelCase strings), never as the integers behind them.
        var placementKind = document["components"]!["schemas"]!["Cases.PlacementKind"]!;
        Types(placementKind).ShouldBe(["string"]);
        placementKind["enum"]!.AsArray().Select(e => e!.ToString()).ShouldContain("childWelfareEstablishment");
        document["components"]!["schemas"]!.AsObject().ShouldNotContain(s => s.Value!["enum"] != null && Types(s.Value!).Contains("integer"));
        // A query filter is an enum, not a free string.
        var status = document["paths"]!["/api/v1/cases"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.ToString() == "status")!;
        status["schema"]!["enum"]!.AsArray().Select(e => e!.ToString()).ShouldBe(["open", "closed"], ignoreOrder: true);
        // The timeline's details are a JSON object, not the serializer's JsonNode type.
        var entry = document["components"]!["schemas"]!["Cases.Timeline.TimelineEntry"]!;
        entry.ToJsonString().ShouldNotContain("JsonNode");
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));

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

    /// <summary>The component schema of an operation's JSON request body.</summary>
    private static JsonNode RequestBody(JsonObject document, string path, string method = "post") =>
        Resolve(document, document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!);

    /// <summary>A schema itself, or the component it references.</summary>
    private static JsonNode Resolve(JsonObject document, JsonNode schema)
    {
        if (schema["$ref"]?.ToString() is not { } reference) return schema;
        reference.ShouldStartWith("#/components/schemas/");
        return document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]
            ?? throw new ShouldAssertException($"{reference} is not in components.schemas");
    }

    /// <summary>A schema's types (OpenAPI 3.1: a type, or an array of them with "null" for a nullable value).</summary>
    private static string[] Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => [.. types.Select(t => t!.ToString())],
        { } type => [type.ToString()],
        null => [],
    };

    private static string[] Required(JsonNode schema) => schema["required"]?.AsArray().Select(r => r!.ToString()).ToArray() ?? [];

    private static JsonNode Parameter(JsonNode operation, string header) =>
        operation["parameters"]!.AsArray().SingleOrDefault(p => p!["in"]!.ToString() == "header" && p["name"]!.ToString() == header)
            ?? throw new ShouldAssertException($"No {header} header parameter on {operation["operationId"]}");
}
