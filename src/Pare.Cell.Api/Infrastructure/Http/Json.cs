using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pare.Cell.Api.Infrastructure.Http;

public static class Json
{
    /// <summary>camelCase everywhere, enums as camelCase strings, no integer enum values accepted.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
