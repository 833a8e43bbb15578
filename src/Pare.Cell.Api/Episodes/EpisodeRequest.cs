using System.Text.Json.Serialization;
using Pare.Cell.Api.Cases;

namespace Pare.Cell.Api.Episodes;

/// <summary>A command request on one episode of a case; both ids come from the route.</summary>
public abstract record EpisodeRequest : CaseRequest
{
    [JsonIgnore] public Guid EpisodeId { get; init; }
}
