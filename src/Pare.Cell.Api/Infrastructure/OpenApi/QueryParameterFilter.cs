using System.Reflection;
using FluentValidation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Query parameters and form fields say what their validators check, as body members do
/// (<see cref="ValidatorSchemaFilter"/>): a query or a form bound from a record (<c>[AsParameters] ListCases query</c>)
/// is validated as a whole, and each of its members documents its limits, its values (enum) and whether it
/// is required. Every parameter carries its format's length too (<see cref="FormatLengthFilter"/>).
/// </summary>
public sealed class QueryParameterFilter(IServiceProvider services) : IParameterFilter, IRequestBodyFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter.Schema is { } bounded) FormatLengthFilter.Bound(bounded);
        if (context.ParameterInfo?.GetCustomAttribute<OneOfAttribute>() is { } oneOf && parameter.Schema is OpenApiSchema values)
            values.Enum = [.. oneOf.Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!)];
        if (parameter is not OpenApiParameter { Name: { } name, Schema: OpenApiSchema schema } target) return;
        var (required, description) = Describe(name, schema, context.PropertyInfo ?? context.ParameterInfo?.Member as PropertyInfo);
        if (required) target.Required = true;
        if (description is not null && target.Description?.Contains(description, StringComparison.Ordinal) != true)
            target.Description = string.IsNullOrEmpty(target.Description) ? description : $"{target.Description} {description}";
    }

    /// <summary>Form fields, described as their record's validators say, in the form's schema.</summary>
    public void Apply(IOpenApiRequestBody requestBody, RequestBodyFilterContext context)
    {
        foreach (var media in requestBody.Content?.Values ?? [])
        {
            if (media.Schema is not OpenApiSchema { Properties: { } properties } form) continue;
            foreach (var field in context.FormParameterDescriptions ?? [])
            {
                var member = (field.ParameterDescriptor as Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor)?.ParameterInfo.Member as PropertyInfo;
                if (!properties.TryGetValue(field.Name, out var property) || property is not OpenApiSchema schema) continue;
                var (required, _) = Describe(field.Name, schema, member);
                if (required) (form.Required ??= new HashSet<string>(StringComparer.Ordinal)).Add(field.Name);
            }
        }
    }

    /// <summary>What the validators of the member's record say of it: limits written into its schema, required or not, and any "required when".</summary>
    private (bool Required, string? Description) Describe(string name, OpenApiSchema schema, PropertyInfo? member)
    {
        var record = member?.DeclaringType;
        if (record is null || record.ContainsGenericParameters) return (false, null);
        // The member's JSON name may differ from the field's (grant_type): described under the member's own.
        var key = member!.Name;
        var holder = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { [key] = schema } };
        var notes = new SchemaNotes();
        foreach (var validator in services.GetServices(typeof(IValidator<>).MakeGenericType(record)).OfType<IValidator>())
            ValidatorSchemaFilter.Describe(holder, validator, services, notes, depth: 0);
        var required = notes.TryGet(holder, out var note) && note.Required?.Contains(key) == true;
        return (required, schema.Description);
    }
}
