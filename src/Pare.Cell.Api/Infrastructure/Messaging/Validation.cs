using System.Text.Json;
using FluentValidation;

namespace Pare.Cell.Api.Infrastructure.Messaging;

public static class Validation
{
    /// <summary>
    /// Errors name fields as clients spell them (camelCase JSON paths), and FluentValidation's
    /// built-in messages follow the request's UI culture (French ships with it).
    /// </summary>
    public static void UseJsonFieldNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.LanguageManager.Enabled = true;
    }
}
