using System.Runtime.CompilerServices;
using FluentValidation;
using FluentValidation.Validators;

namespace Pare.Cell.Api.Infrastructure.Messaging;

/// <summary>
/// What the OpenAPI document cannot read from a rule's delegates: the condition of a conditional rule
/// in words, that a rule only applies to a value that is present, a collection's size, a string's
/// format. The validators stay the one source of what the API accepts; the document reads these
/// notes beside the rules (<see cref="OpenApi.ValidatorSchemaFilter"/>), so the two cannot drift.
/// </summary>
public static class DocumentedRules
{
    /// <summary>How the document states a rule: its condition in words, or that it applies whenever the value is sent.</summary>
    public sealed record Note(string? Condition, bool WhenPresent, string? Format);

    private static readonly ConditionalWeakTable<IValidationRule, Note> Notes = new();

    public static Note? Of(IValidationRule rule) => Notes.TryGetValue(rule, out var note) ? note : null;

    /// <summary><c>When(predicate)</c>, with the condition in words for the document: "required when {condition}".</summary>
    public static IRuleBuilderOptions<T, TProperty> When<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, Func<T, bool> predicate, string condition)
    {
        var conditional = rule.When(predicate);
        Annotate(rule, note => note with { Condition = condition });
        return conditional;
    }

    /// <summary>
    /// The rules before it apply only when the member is sent (not null): an optional field that, when
    /// sent, must not be blank and fits the limits. The document states the limits, not a requirement.
    /// </summary>
    public static IRuleBuilderOptions<T, TProperty> WhenPresent<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule)
    {
        Func<T, TProperty>? member = null;
        rule.Configure(r => member = (Func<T, TProperty>)r.Expression.Compile());
        var conditional = rule.When(instance => member!(instance) is not null);
        Annotate(rule, note => note with { WhenPresent = true });
        return conditional;
    }

    /// <summary>The JSON Schema <c>format</c> a <c>Must</c> checks (<c>email</c>, <c>uri</c>): stated in the document.</summary>
    public static IRuleBuilderOptions<T, TProperty> Format<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string format)
    {
        Annotate(rule, note => note with { Format = format });
        return rule;
    }

    /// <summary>At most <paramref name="max"/> elements; a null collection passes (NotNull says whether it may be absent).</summary>
    public static IRuleBuilderOptions<T, TCollection> MaximumCount<T, TCollection>(this IRuleBuilder<T, TCollection> rule, int max)
        where TCollection : System.Collections.IEnumerable? =>
        rule.SetValidator(new CountValidator<T, TCollection>(max));

    /// <summary>One of <paramref name="values"/>, as spelled; null passes. The document lists them as the field's enum.</summary>
    public static IRuleBuilderOptions<T, string?> In<T>(this IRuleBuilder<T, string?> rule, IReadOnlyList<string> values) =>
        rule.SetValidator(new OneOfValidator<T>(values, StringComparer.Ordinal));

    /// <summary>The name of a member of <typeparamref name="TEnum"/> as the JSON writes it (camelCase, case ignored), never a number; null passes.</summary>
    public static IRuleBuilderOptions<T, string?> EnumName<T, TEnum>(this IRuleBuilder<T, string?> rule) where TEnum : struct, Enum =>
        rule.SetValidator(new OneOfValidator<T>([.. Enum.GetNames<TEnum>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName)], StringComparer.OrdinalIgnoreCase));

    private static void Annotate<T, TProperty>(IRuleBuilderOptions<T, TProperty> rule, Func<Note, Note> change)
    {
        rule.Configure(validationRule => Notes.AddOrUpdate(validationRule, change(Of(validationRule) ?? new Note(null, false, null))));
    }
}

/// <summary>A collection's size limit, readable by the document (<see cref="Max"/>), unlike a <c>Must</c>.</summary>
public interface ICountValidator
{
    int Max { get; }
}

public sealed class CountValidator<T, TCollection>(int max) : PropertyValidator<T, TCollection>, ICountValidator
{
    public int Max { get; } = max;

    public override string Name => "CountValidator";

    public override bool IsValid(ValidationContext<T> context, TCollection value)
    {
        var count = value switch
        {
            null => 0,
            System.Collections.ICollection collection => collection.Count,
            System.Collections.IEnumerable items => items.Cast<object?>().Count(),
            _ => 0,
        };
        if (count <= Max) return true;
        context.MessageFormatter.AppendArgument("MaxCount", Max);
        return false;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr"
            ? "'{PropertyName}' compte au plus {MaxCount} éléments."
            : "'{PropertyName}' has at most {MaxCount} items.";
}

/// <summary>A string's allowed values, readable by the document (<see cref="Values"/>), unlike a <c>Must</c>.</summary>
public interface IOneOfValidator
{
    IReadOnlyList<string> Values { get; }
}

public sealed class OneOfValidator<T>(IReadOnlyList<string> values, StringComparer comparer) : PropertyValidator<T, string?>, IOneOfValidator
{
    public IReadOnlyList<string> Values { get; } = values;

    public override string Name => "OneOfValidator";

    public override bool IsValid(ValidationContext<T> context, string? value)
    {
        if (value is null || Values.Contains(value, comparer)) return true;
        context.MessageFormatter.AppendArgument("Values", string.Join(", ", Values));
        return false;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr"
            ? "'{PropertyName}' prend l'une de ces valeurs : {Values}."
            : "'{PropertyName}' takes one of: {Values}.";
}
