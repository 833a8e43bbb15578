using System.Text.Json;
using Pare.Cell.Api.Infrastructure.Http;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>Enum values as form options (named as the API's JSON names them) and back, and blank fields as absent.</summary>
public static class Choices
{
    public static IReadOnlyList<(string Value, string Label)> Of<TEnum>(Func<TEnum, string> words) where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(v => (Name(v), words(v)))];

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>The enum a form posted, or null (the API's validator then says the field is missing).</summary>
    public static TEnum? Parse<TEnum>(string? value) where TEnum : struct, Enum => EnumNames.Parse<TEnum>(value);

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static readonly IReadOnlyList<(string Value, string Label)> YesNo = [("true", "Oui"), ("false", "Non")];

    public static bool? Bool(string? value) => value switch { "true" => true, "false" => false, _ => null };
}
