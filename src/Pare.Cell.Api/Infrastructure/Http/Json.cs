using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pare.Cell.Api.Infrastructure.Http;

public static class Json
{
    /// <summary>
    /// camelCase everywhere, enums as camelCase strings, no integer enum values accepted; a body
    /// naming a member no request has, or the same member twice, is refused (400 naming it).
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new TextWithoutNul());
    }

    /// <summary>
    /// PostgreSQL cannot store U+0000 in text or jsonb: a NUL in any string is the client's mistake
    /// (400 naming the field), not a database error.
    /// </summary>
    private sealed class TextWithoutNul : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException() : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
