using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Notes which members of a type the server always writes when it serializes one (<see cref="Http.Json"/>:
/// null members are left out, <c>WhenWritingNull</c>): a value type that is not <c>Nullable&lt;T&gt;</c>, or a
/// reference the type declares not nullable, unless <c>[JsonIgnore(Condition = …)]</c> says otherwise. Where
/// the server writes the schema, <see cref="ContractDocumentFilter"/> makes those members <c>required</c> and
/// the others optional and never <c>null</c>: that is what goes over the wire.
/// </summary>
public sealed class WireShapeFilter(SchemaNotes notes) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type.IsEnum) return;
        var type = context.Type;
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .GroupBy(JsonName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var nullability = new NullabilityInfoContext();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in target.Properties.Keys)
            if (members.TryGetValue(name, out var member) && AlwaysWritten(member, nullability))
                written.Add(name);
        notes.Of(target).AlwaysWritten = written;
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static bool AlwaysWritten(PropertyInfo property, NullabilityInfoContext nullability)
    {
        if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: not JsonIgnoreCondition.Never }) return false;
        if (property.PropertyType.IsValueType) return Nullable.GetUnderlyingType(property.PropertyType) is null;
        return nullability.Create(property).ReadState == NullabilityState.NotNull;
    }
}
