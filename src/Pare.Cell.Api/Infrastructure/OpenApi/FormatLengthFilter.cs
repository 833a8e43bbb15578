using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// The longest text each string format can take as the API reads it: a UUID is 36 characters, a date 10, a
/// date-time at most 42, a time 16 (System.Text.Json refuses longer). Stated, so that no string in the document is
/// unbounded for want of a number the parser already enforces.
/// </summary>
public sealed class FormatLengthFilter : ISchemaFilter
{
    private static readonly Dictionary<string, int> Longest = new(StringComparer.Ordinal)
    {
        ["uuid"] = 36,
        ["date"] = 10,
        ["date-time"] = 42,
        ["time"] = 16, // HH:mm:ss.fffffff
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context) => Bound(schema);

    public static void Bound(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema { MaxLength: null, Format: { } format, Type: { } type } inline && type.HasFlag(JsonSchemaType.String)
            && Longest.TryGetValue(format, out var longest))
            inline.MaxLength = longest;
    }
}
