using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// Form fields as the console renders them: a label, an optional hint, the error of the field (the API's
/// own validation message, the field named by its label), wired with aria-describedby and aria-invalid.
/// Fields are named by the JSON path the API's validators report (<c>lastSeenPlace</c>,
/// <c>safetyCheck.done</c>, <c>answers.whereStayed</c>), so each error lands on its field.
/// </summary>
public sealed class Form(ModelStateDictionary state, IReadOnlyDictionary<string, string> labels)
{
    private static readonly HtmlEncoder Html = ConsoleHtml.Encoder;

    public static string Id(string field) => "f-" + string.Concat(field.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));

    public string Label(string field) => labels.TryGetValue(field, out var label) ? label : field;

    public string? Error(string field) =>
        state.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? Named(field, entry.Errors[0].ErrorMessage) : null;

    /// <summary>FluentValidation starts its messages with the field's name in quotes: the label reads better.</summary>
    private string Named(string field, string message)
    {
        if (!message.StartsWith('\'')) return message;
        var end = message.IndexOf('\'', 1);
        return end < 0 ? message : $"« {Label(field)} »{message[(end + 1)..]}";
    }

    /// <summary>The errors at the top of the form, each linking to its field; the script moves focus here.</summary>
    public IHtmlContent Summary()
    {
        if (state.IsValid) return HtmlString.Empty;
        var errors = state.Where(e => e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(x => (Field: e.Key, Message: e.Key.Length == 0 ? x.ErrorMessage : Named(e.Key, x.ErrorMessage))))
            .ToList();
        var b = new StringBuilder();
        b.Append("<div class=\"error-summary\" tabindex=\"-1\" data-error-summary aria-labelledby=\"error-summary-title\">");
        b.Append("<h2 id=\"error-summary-title\">").Append(errors.Count == 1 ? "Une erreur à corriger" : $"{errors.Count} erreurs à corriger").Append("</h2><ul>");
        foreach (var (field, message) in errors)
        {
            b.Append("<li>");
            if (field.Length > 0) b.Append("<a href=\"#").Append(Html.Encode(Id(field))).Append("\">").Append(Html.Encode(message)).Append("</a>");
            else b.Append(Html.Encode(message));
            b.Append("</li>");
        }
        return new HtmlString(b.Append("</ul></div>").ToString());
    }

    public IHtmlContent Text(string field, string? value, bool required = false, string? hint = null, string type = "text",
        string autocomplete = "off", string? inputMode = null, int? maxLength = null)
    {
        var b = Open(field, required, hint);
        b.Append("<input id=\"").Append(Id(field)).Append("\" name=\"").Append(Html.Encode(field)).Append("\" type=\"").Append(type)
            .Append("\" value=\"").Append(Html.Encode(value ?? "")).Append("\" autocomplete=\"").Append(autocomplete).Append('"');
        if (inputMode is not null) b.Append(" inputmode=\"").Append(inputMode).Append('"');
        if (maxLength is not null) b.Append(" maxlength=\"").Append(maxLength).Append('"');
        Describe(b, field, hint, required);
        return Close(b.Append('>'));
    }

    public IHtmlContent TextArea(string field, string? value, bool required = false, string? hint = null, int rows = 3)
    {
        var b = Open(field, required, hint);
        b.Append("<textarea id=\"").Append(Id(field)).Append("\" name=\"").Append(Html.Encode(field)).Append("\" rows=\"").Append(rows).Append('"');
        Describe(b, field, hint, required);
        b.Append('>').Append(Html.Encode(value ?? "")).Append("</textarea>");
        return Close(b);
    }

    public IHtmlContent Select(string field, IEnumerable<(string Value, string Label)> options, string? selected, bool required = false, string? hint = null)
    {
        var b = Open(field, required, hint);
        b.Append("<select id=\"").Append(Id(field)).Append("\" name=\"").Append(Html.Encode(field)).Append('"');
        Describe(b, field, hint, required);
        b.Append('>');
        foreach (var (value, label) in options)
        {
            b.Append("<option value=\"").Append(Html.Encode(value)).Append('"');
            if (value == selected) b.Append(" selected");
            b.Append('>').Append(Html.Encode(label)).Append("</option>");
        }
        return Close(b.Append("</select>"));
    }

    /// <summary>A group of radio buttons in a fieldset whose legend is the field's label.</summary>
    public IHtmlContent Radios(string field, IEnumerable<(string Value, string Label)> options, string? selected, bool required = false,
        string? hint = null, bool inline = false)
    {
        var error = Error(field);
        var b = new StringBuilder();
        b.Append("<fieldset class=\"field").Append(error is null ? "" : " has-error").Append(inline ? " inline" : "").Append("\" id=\"").Append(Id(field)).Append('"');
        var described = Described(field, hint, error);
        if (described.Length > 0) b.Append(" aria-describedby=\"").Append(described).Append('"');
        b.Append("><legend>").Append(Html.Encode(Label(field)));
        if (required) b.Append(" <span class=\"required\">(obligatoire)</span>");
        b.Append("</legend>");
        Notes(b, field, hint, error);
        var i = 0;
        foreach (var (value, label) in options)
        {
            var id = $"{Id(field)}-{i++}";
            b.Append("<div class=\"choice\"><input type=\"radio\" id=\"").Append(id).Append("\" name=\"").Append(Html.Encode(field))
                .Append("\" value=\"").Append(Html.Encode(value)).Append('"');
            if (value == selected) b.Append(" checked");
            if (error is not null) b.Append(" aria-invalid=\"true\"");
            b.Append("><label for=\"").Append(id).Append("\">").Append(Html.Encode(label)).Append("</label></div>");
        }
        return new HtmlString(b.Append("</fieldset>").ToString());
    }

    /// <summary>Several boxes under one legend, each posting its value under the same name.</summary>
    public IHtmlContent Checkboxes(string field, IEnumerable<(string Value, string Label)> options, IReadOnlyCollection<string> selected, string? hint = null)
    {
        var error = Error(field);
        var b = new StringBuilder();
        b.Append("<fieldset class=\"field").Append(error is null ? "" : " has-error").Append("\" id=\"").Append(Id(field)).Append('"');
        var described = Described(field, hint, error);
        if (described.Length > 0) b.Append(" aria-describedby=\"").Append(described).Append('"');
        b.Append("><legend>").Append(Html.Encode(Label(field))).Append("</legend>");
        Notes(b, field, hint, error);
        var i = 0;
        foreach (var (value, label) in options)
        {
            var id = $"{Id(field)}-{i++}";
            b.Append("<div class=\"choice\"><input type=\"checkbox\" id=\"").Append(id).Append("\" name=\"").Append(Html.Encode(field))
                .Append("\" value=\"").Append(Html.Encode(value)).Append('"');
            if (selected.Contains(value)) b.Append(" checked");
            b.Append("><label for=\"").Append(id).Append("\">").Append(Html.Encode(label)).Append("</label></div>");
        }
        return new HtmlString(b.Append("</fieldset>").ToString());
    }

    /// <summary>One yes/no box.</summary>
    public IHtmlContent Checkbox(string field, bool isChecked, string? hint = null)
    {
        var error = Error(field);
        var b = new StringBuilder();
        b.Append("<div class=\"field choice single").Append(error is null ? "" : " has-error").Append("\">");
        b.Append("<input type=\"checkbox\" id=\"").Append(Id(field)).Append("\" name=\"").Append(Html.Encode(field)).Append("\" value=\"true\"");
        if (isChecked) b.Append(" checked");
        var described = Described(field, hint, error);
        if (described.Length > 0) b.Append(" aria-describedby=\"").Append(described).Append('"');
        b.Append("><label for=\"").Append(Id(field)).Append("\">").Append(Html.Encode(Label(field))).Append("</label>");
        Notes(b, field, hint, error);
        return new HtmlString(b.Append("</div>").ToString());
    }

    private StringBuilder Open(string field, bool required, string? hint)
    {
        var error = Error(field);
        var b = new StringBuilder();
        b.Append("<div class=\"field").Append(error is null ? "" : " has-error").Append("\"><label for=\"").Append(Id(field)).Append("\">")
            .Append(Html.Encode(Label(field)));
        if (required) b.Append(" <span class=\"required\">(obligatoire)</span>");
        b.Append("</label>");
        Notes(b, field, hint, error);
        return b;
    }

    private static void Notes(StringBuilder b, string field, string? hint, string? error)
    {
        if (hint is not null) b.Append("<p class=\"hint\" id=\"").Append(Id(field)).Append("-hint\">").Append(Html.Encode(hint)).Append("</p>");
        if (error is not null) b.Append("<p class=\"error\" id=\"").Append(Id(field)).Append("-error\"><span class=\"visually-hidden\">Erreur : </span>")
            .Append(Html.Encode(error)).Append("</p>");
    }

    private static string Described(string field, string? hint, string? error) =>
        string.Join(' ', new[] { hint is null ? null : Id(field) + "-hint", error is null ? null : Id(field) + "-error" }.OfType<string>());

    private void Describe(StringBuilder b, string field, string? hint, bool required)
    {
        var error = Error(field);
        var described = Described(field, hint, error);
        if (described.Length > 0) b.Append(" aria-describedby=\"").Append(described).Append('"');
        if (error is not null) b.Append(" aria-invalid=\"true\"");
        if (required) b.Append(" required");
    }

    private static HtmlString Close(StringBuilder b) => new(b.Append("</div>").ToString());
}
