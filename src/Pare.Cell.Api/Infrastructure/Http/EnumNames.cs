namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// A query value naming an enum member, in any case, as the JSON writes it (<c>delivered</c>), and
/// nothing else: <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> (and the minimal-API
/// binder built on it) also takes any number, <c>"7"</c> or <c>"99"</c>.
/// </summary>
public static class EnumNames
{
    /// <summary>
    /// A value as the API's JSON writes it (<c>parentOrGuardian</c>, <c>sent</c>): the one spelling of
    /// an enum value in answers, webhook bodies and timeline summaries alike.
    /// </summary>
    public static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static TEnum? Parse<TEnum>(string? value) where TEnum : struct, Enum =>
        Enum.GetNames<TEnum>().FirstOrDefault(name => string.Equals(name, value, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<TEnum>(name) : null;
}
