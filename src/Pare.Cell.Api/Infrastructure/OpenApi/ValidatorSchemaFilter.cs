using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Pare.Cell.Api.Infrastructure.Messaging;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Writes into a request type's schema what its FluentValidation validators enforce: which members are
/// always required, and the limits they check — lengths, ranges, patterns, formats, collection sizes —
/// with conditional requirements stated in words. Request records declare every member nullable
/// (<c>string?</c>, <c>DateTimeOffset?</c>, enums?) so that a missing field reaches the validator and is
/// named in the 400; the validators are therefore the single source of what the API accepts, and this
/// filter reads that source rather than duplicating it in attributes that would drift from the rules.
/// <para>
/// A member is required when one of the validator's top-level rules on that member (a direct property
/// access, not <c>RuleForEach</c>, not inside a named RuleSet) has a <c>NotNull</c> or <c>NotEmpty</c>
/// component without a condition; such a member is no longer documented as nullable either. A conditional
/// rule leaves the field optional: its condition, stated with
/// <see cref="DocumentedRules.When{T,TProperty}(IRuleBuilderOptions{T,TProperty},Func{T,bool},string)"/>,
/// goes into the field's description ("Required when …"); limits under
/// <see cref="DocumentedRules.WhenPresent{T,TProperty}"/> apply whenever the field is sent and are stated
/// as limits. Limits: <c>MaximumLength</c>/<c>MinimumLength</c>/<c>Length</c>, <c>NotEmpty</c> (at least one
/// character or element), <c>InclusiveBetween</c>/<c>ExclusiveBetween</c> and comparisons with a constant,
/// <c>Matches</c>, <c>EmailAddress</c>, <see cref="DocumentedRules.MaximumCount{T,TCollection}"/> and
/// <see cref="DocumentedRules.Format{T,TProperty}"/>; under <c>RuleForEach</c> they describe the elements.
/// </para>
/// <para>
/// Rules brought in by <c>Include</c> count as the including validator's own. Rules a validator applies to
/// a nested object through <c>SetValidator</c> or <c>ChildRules</c> (or to each element through
/// <c>RuleForEach</c>) describe the nested object's schema, whose component is shared by every request
/// embedding it (the same child validator is assumed wherever that type appears). Types with no
/// registered validator are left as they are. What is required is noted (<see cref="SchemaNotes"/>) and
/// set by <see cref="ContractDocumentFilter"/>, which knows whether the schema is read, written or both.
/// </para>
/// </summary>
public sealed class ValidatorSchemaFilter(IServiceProvider services, SchemaNotes notes) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type is not { ContainsGenericParameters: false } type) return;

        // The validators are singletons (Pare.cs), resolved as the pipeline resolves them.
        var validatorType = typeof(IValidator<>).MakeGenericType(type);
        foreach (var validator in services.GetServices(validatorType).OfType<IValidator>())
        {
            Describe(target, validator, services, notes, depth: 0);
            foreach (var (validated, child) in ChildValidators(validator, services, depth: 0))
                DescribeNested(validated, child, services, notes, context, depth: 1);
        }
    }

    /// <summary>What one validator (its <c>Include</c>d ones too) says of the members of the schema it validates.</summary>
    internal static void Describe(OpenApiSchema schema, IValidator validator, IServiceProvider services, SchemaNotes notes, int depth)
    {
        notes.Validated(schema);
        foreach (var rule in DefaultRules(validator))
        {
            if (rule is IIncludeRule)
            {
                foreach (var included in Unconditional(rule).Select(c => Resolve(c.Validator, services)).OfType<IValidator>())
                    if (depth < 8) Describe(schema, included, services, notes, depth + 1);
                continue;
            }
            if (DirectMember(rule) is not { } member || Property(schema, member) is not { } property) continue;
            var (name, propertySchema) = property;
            var each = IsCollectionRule(rule);
            var note = DocumentedRules.Of(rule);
            foreach (var component in rule.Components)
            {
                var conditional = rule.HasCondition || rule.HasAsyncCondition || component.HasCondition || component.HasAsyncCondition;
                var requires = component.Validator is INotNullValidator or INotEmptyValidator;
                if (conditional && note?.WhenPresent != true)
                {
                    if (requires && !each && note?.Condition is { } condition)
                        AppendDescription(schema, name, $"Required when {condition}.");
                    continue; // a rule applied in some cases only is not a limit of the field
                }
                if (requires && !each && !conditional)
                    notes.Require(schema, name);
                var limited = each ? ElementSchema(propertySchema) : propertySchema as OpenApiSchema;
                if (limited is not null) Limit(limited, component.Validator, collection: !each && IsArray(propertySchema));
            }
            if (note?.Format is { } format && (each ? ElementSchema(propertySchema) : propertySchema as OpenApiSchema) is { } formatted)
                formatted.Format = format;
            // A number the record cannot leave null reads 0 when absent: a range without 0 refuses it, so it must be sent.
            if (!each && MemberType(member) is { IsValueType: true } memberType && Nullable.GetUnderlyingType(memberType) is null
                && propertySchema is OpenApiSchema bounded && ExcludesZero(bounded))
                notes.Require(schema, name);
        }
    }

    private static bool ExcludesZero(OpenApiSchema schema)
    {
        static decimal? Read(string? value) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        return Read(schema.Minimum) > 0 || Read(schema.ExclusiveMinimum) >= 0 || Read(schema.Maximum) < 0 || Read(schema.ExclusiveMaximum) <= 0;
    }

    /// <summary>The limit one component enforces, on the member's schema (or its elements' for <c>RuleForEach</c>).</summary>
    private static void Limit(OpenApiSchema schema, IPropertyValidator validator, bool collection)
    {
        var isString = schema.Type is { } type && type.HasFlag(JsonSchemaType.String);
        switch (validator)
        {
            case INotEmptyValidator when isString && schema.Format is null:
                schema.MinLength = Math.Max(schema.MinLength ?? 0, 1);
                break;
            case INotEmptyValidator when collection:
                schema.MinItems = Math.Max(schema.MinItems ?? 0, 1);
                break;
            case ILengthValidator length when isString:
                if (length.Min > 0) schema.MinLength = length.Min;
                if (length.Max >= 0) schema.MaxLength = length.Max;
                break;
            case ICountValidator count when collection:
                schema.MaxItems = count.Max;
                break;
            case IBetweenValidator between when Number(between.From) is { } from && Number(between.To) is { } to:
                if (validator.Name.StartsWith("Exclusive", StringComparison.Ordinal))
                    (schema.ExclusiveMinimum, schema.ExclusiveMaximum) = (from, to);
                else
                    (schema.Minimum, schema.Maximum) = (from, to);
                break;
            case IComparisonValidator { MemberToCompare: null } comparison when Number(comparison.ValueToCompare) is { } value:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThan: schema.ExclusiveMinimum = value; break;
                    case Comparison.GreaterThanOrEqual: schema.Minimum = value; break;
                    case Comparison.LessThan: schema.ExclusiveMaximum = value; break;
                    case Comparison.LessThanOrEqual: schema.Maximum = value; break;
                }
                // A bound on one side only: the other is the integer type's own.
                if (schema.Format is "int32" or "int64" && schema.Maximum is null && schema.ExclusiveMaximum is null)
                    schema.Maximum = schema.Format == "int32" ? int.MaxValue.ToString(CultureInfo.InvariantCulture) : long.MaxValue.ToString(CultureInfo.InvariantCulture);
                if (schema.Format is "int32" or "int64" && schema.Minimum is null && schema.ExclusiveMinimum is null)
                    schema.Minimum = schema.Format == "int32" ? int.MinValue.ToString(CultureInfo.InvariantCulture) : long.MinValue.ToString(CultureInfo.InvariantCulture);
                break;
            case IRegularExpressionValidator regex:
                schema.Pattern = regex.Expression;
                break;
            case IEmailValidator:
                schema.Format = "email";
                break;
            case IOneOfValidator oneOf when isString:
                schema.Enum = [.. oneOf.Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!)];
                break;
        }
    }

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// Child validators set unconditionally on a member (<c>SetValidator</c>, <c>ChildRules</c>), through includes too,
    /// with the type they validate: the member's, or its elements' for <c>RuleForEach</c>.
    /// </summary>
    private static IEnumerable<(Type Validated, IValidator Child)> ChildValidators(IValidator validator, IServiceProvider services, int depth)
    {
        if (depth >= 8) yield break;
        foreach (var rule in DefaultRules(validator))
        {
            foreach (var component in Unconditional(rule))
            {
                if (Resolve(component.Validator, services) is not { } child) continue;
                if (rule is IIncludeRule)
                {
                    foreach (var nested in ChildValidators(child, services, depth + 1))
                        yield return nested;
                }
                else if (DirectMember(rule) is { } member && MemberType(member) is { } type)
                {
                    type = IsCollectionRule(rule) ? ElementType(type) : type;
                    if (type is not null) yield return (Nullable.GetUnderlyingType(type) ?? type, child);
                }
            }
        }
    }

    private static void DescribeNested(Type validated, IValidator child, IServiceProvider services, SchemaNotes notes, SchemaFilterContext context, int depth)
    {
        if (depth > 8 || !context.SchemaRepository.TryLookupByType(validated, out var reference) || reference.Reference.Id is not { } id) return;
        // A type still being generated (a cycle) has no definition yet: left as it is.
        if (!context.SchemaRepository.Schemas.TryGetValue(id, out var definition) || definition is not OpenApiSchema { Properties.Count: > 0 } nested) return;
        Describe(nested, child, services, notes, depth: 0);
        foreach (var (deeper, grandChild) in ChildValidators(child, services, depth: 1))
            DescribeNested(deeper, grandChild, services, notes, context, depth + 1);
    }

    /// <summary>Rules of the default rule set, outside any <c>When(…, () => { })</c> block.</summary>
    private static IEnumerable<IValidationRule> DefaultRules(IValidator validator) =>
        validator.CreateDescriptor().Rules.Where(rule =>
            rule.RuleSets is null or { Length: 0 } || rule.RuleSets.Contains(RulesetValidatorSelector.DefaultRuleSetName, StringComparer.OrdinalIgnoreCase));

    private static IEnumerable<IRuleComponent> Unconditional(IValidationRule rule) =>
        rule.HasCondition || rule.HasAsyncCondition ? [] : rule.Components.Where(c => !c.HasCondition && !c.HasAsyncCondition);

    /// <summary>The member of <c>RuleFor(x =&gt; x.Member)</c> or <c>RuleForEach(x =&gt; x.Member)</c>; null for nested paths.</summary>
    private static MemberInfo? DirectMember(IValidationRule rule)
    {
        if (rule.Member is null) return null;
        var body = rule.Expression?.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert) body = convert.Operand;
        return body is MemberExpression { Expression: ParameterExpression } ? rule.Member : null;
    }

    private static bool IsCollectionRule(IValidationRule rule) =>
        rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));

    /// <summary>
    /// The validator a child adaptor runs: the instance given to <c>SetValidator</c>/<c>Include</c>/<c>ChildRules</c>
    /// (the adaptor hands it back without looking at its arguments), else, for a validator chosen per instance,
    /// the validator type as registered in DI.
    /// </summary>
    private static IValidator? Resolve(IPropertyValidator validator, IServiceProvider services)
    {
        if (validator is not IChildValidatorAdaptor adaptor) return null;
        try
        {
            var method = adaptor.GetType().GetMethod("GetValidator", BindingFlags.Public | BindingFlags.Instance);
            if (method?.GetParameters() is [var contextParameter, var valueParameter])
            {
                var instanceType = contextParameter.ParameterType.GetGenericArguments()[0];
                var context = Activator.CreateInstance(contextParameter.ParameterType, [Default(instanceType)]);
                if (method.Invoke(adaptor, [context, Default(valueParameter.ParameterType)]) is IValidator instance) return instance;
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MissingMethodException or ArgumentException)
        {
            // A validator provider that needs the validation context: fall back to DI.
        }
        return adaptor.ValidatorType is { } type && typeof(IValidator).IsAssignableFrom(type) ? services.GetService(type) as IValidator : null;
    }

    private static Type? ElementType(Type collection) =>
        collection.IsArray ? collection.GetElementType()
        : collection.GetInterfaces().Append(collection)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static Type? MemberType(MemberInfo member) => member switch
    {
        PropertyInfo property => property.PropertyType,
        FieldInfo field => field.FieldType,
        _ => null,
    };

    /// <summary>The schema property of a member, by its JSON name.</summary>
    private static (string Name, IOpenApiSchema Schema)? Property(OpenApiSchema schema, MemberInfo member)
    {
        var name = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;
        var key = schema.Properties!.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        return key is null ? null : (key, schema.Properties[key]);
    }

    private static bool IsArray(IOpenApiSchema schema) => schema.Type is { } type && type.HasFlag(JsonSchemaType.Array);

    private static OpenApiSchema? ElementSchema(IOpenApiSchema schema) => IsArray(schema) ? schema.Items as OpenApiSchema : null;

    private static void AppendDescription(OpenApiSchema schema, string name, string sentence)
    {
        switch (schema.Properties![name])
        {
            case OpenApiSchema inline when inline.Description?.Contains(sentence, StringComparison.Ordinal) != true:
                inline.Description = string.IsNullOrEmpty(inline.Description) ? sentence : $"{inline.Description} {sentence}";
                break;
            case OpenApiSchemaReference reference when reference.Description?.Contains(sentence, StringComparison.Ordinal) != true:
                reference.Description = string.IsNullOrEmpty(reference.Description) ? sentence : $"{reference.Description} {sentence}";
                break;
        }
    }
}
