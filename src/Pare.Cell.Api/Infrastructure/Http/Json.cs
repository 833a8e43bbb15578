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
        options.Converters.Add(new FreeFormWithoutNul());
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

    /// <summary>
    /// The same for free-form JSON (a return interview's answers), which the string converter never
    /// sees. Left to the database, such a value failed a whole write batch, and with auto-prepared
    /// statements the pooled connection it failed on later answered another request out of step
    /// ("unexpected backend message DataRow": a 500 opening a case).
    /// </summary>
    private sealed class FreeFormWithoutNul : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            return HasNul(element) ? throw new JsonException() : element;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static bool HasNul(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!.Contains('\0', StringComparison.Ordinal),
            JsonValueKind.Array => element.EnumerateArray().Any(HasNul),
            JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0', StringComparison.Ordinal) || HasNul(p.Value)),
            _ => false,
        };
    }
}
