using System.Text.Json.Serialization;

namespace Pare.Cell.Api.Cases;

/// <summary>
/// A command request on an existing case. The case id comes from the route and the expected
/// version from If-Match, never from the body: clients cannot set them there.
/// </summary>
public abstract record CaseRequest
{
    [JsonIgnore] public Guid CaseId { get; init; }
    [JsonIgnore] public long? ExpectedVersion { get; init; }
}
