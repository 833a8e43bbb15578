using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// Marks as <c>required</c> the schema properties that the type's FluentValidation validators always
/// require. Request records declare every member nullable (<c>string?</c>, <c>DateTimeOffset?</c>, enums?)
/// so that a missing field reaches the validator and is named in the 400 instead of failing binding;
/// the validators are therefore the single source of what is required, and nothing in the CLR types
/// tells Swashbuckle. This filter reads that source rather than duplicating it in attributes that would
/// drift from the rules.
/// <para>
/// A member is required when one of the validator's top-level rules on that member (a direct property
/// access, not <c>RuleForEach</c>, not inside a named RuleSet) has a <c>NotNull</c> or <c>NotEmpty</c>
/// component and neither the rule nor the component carries a condition (<c>When</c>/<c>Unless</c>):
/// a conditional rule (such as an optional field validated only when present) leaves the field optional.
/// Such a member is also no longer documented as nullable, since those validators reject null.
/// Rules brought in by <c>Include</c> count as the including validator's own. Rules a validator applies to a
/// nested object through <c>SetValidator</c> or <c>ChildRules</c> (or to each element through <c>RuleForEach</c>) mark the nested object's schema, whose component is shared by
/// every request embedding it (the same child validator is assumed wherever that type appears).
/// Types with no registered validator are left as they are.
/// </para>
/// </summary>
public sealed class ValidatorRequiredFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type is not { ContainsGenericParameters: false } type) return;

        // The validators are singletons (Pare.cs), resolved as the pipeline resolves them.
        var validatorType = typeof(IValidator<>).MakeGenericType(type);
        foreach (var validator in services.GetServices(validatorType).OfType<IValidator>())
        {
            foreach (var member in RequiredMembers(validator, services, depth: 0))
                MarkRequired(target, member);
            foreach (var (validated, child) in ChildValidators(validator, services, depth: 0))
                MarkNestedRequired(validated, child, services, context);
        }
    }

    /// <summary>Members the validator always requires, its <c>Include</c>d validators' ones included.</summary>
    private static IEnumerable<MemberInfo> RequiredMembers(IValidator validator, IServiceProvider services, int depth)
    {
        foreach (var rule in DefaultRules(validator))
        {
            if (rule is IIncludeRule)
            {
                foreach (var included in Unconditional(rule).Select(c => Resolve(c.Validator, services)).OfType<IValidator>())
                    if (depth < 8)
                        foreach (var member in RequiredMembers(included, services, depth + 1))
                            yield return member;
                continue;
            }
            // RuleForEach(...).NotNull() requires the elements, not the member.
            if (DirectMember(rule) is { } direct && !IsCollectionRule(rule) && Unconditional(rule).Any(c => c.Validator is INotNullValidator or INotEmptyValidator))
                yield return direct;
        }
    }

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

    private static void MarkNestedRequired(Type validated, IValidator child, IServiceProvider services, SchemaFilterContext context)
    {
        if (!context.SchemaRepository.TryLookupByType(validated, out var reference) || reference.Reference.Id is not { } id) return;
        // A type still being generated (a cycle) has no definition yet: left as it is.
        if (!context.SchemaRepository.Schemas.TryGetValue(id, out var definition) || definition is not OpenApiSchema { Properties.Count: > 0 } nested) return;
        foreach (var required in RequiredMembers(child, services, depth: 0))
            MarkRequired(nested, required);
    }

    private static IEnumerable<IValidationRule> DefaultRules(IValidator validator) =>
        validator.CreateDescriptor().Rules.Where(rule =>
            !rule.HasCondition && !rule.HasAsyncCondition
            && (rule.RuleSets is null or { Length: 0 } || rule.RuleSets.Contains(RulesetValidatorSelector.DefaultRuleSetName, StringComparer.OrdinalIgnoreCase)));

    private static IEnumerable<IRuleComponent> Unconditional(IValidationRule rule) =>
        rule.Components.Where(c => !c.HasCondition && !c.HasAsyncCondition);

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

    private static void MarkRequired(OpenApiSchema schema, MemberInfo member)
    {
        var name = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;
        var key = schema.Properties!.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (key is null) return;
        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        schema.Required.Add(key);
        // NotNull/NotEmpty reject null too: "required but nullable" would tell generated clients null is fine.
        if (schema.Properties[key] is OpenApiSchema { Type: { } type } property && type.HasFlag(JsonSchemaType.Null))
            property.Type = type & ~JsonSchemaType.Null;
    }
}
