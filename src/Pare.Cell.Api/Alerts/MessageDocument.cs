using System.Text;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// What a message says, before it is a format: a title, a lead, sections of labelled items. The
/// plain-text part and the HTML part are two renderings of the same document, so they cannot say
/// different things; an item without a value and a section without an item are left out, so no
/// heading stands over nothing.
/// </summary>
public sealed class MessageDocument(string subject, string title, string lead)
{
    private readonly List<Section> _sections = [];
    private string? _closing;

    public string Subject { get; } = subject;

    public Section Add(string title)
    {
        var section = new Section(title);
        _sections.Add(section);
        return section;
    }

    /// <summary>A last paragraph, in English: the message is French first, for readers who are not.</summary>
    public MessageDocument InEnglish(string closing)
    {
        _closing = closing;
        return this;
    }

    public sealed class Section(string title)
    {
        internal string Title { get; } = title;
        internal List<Item> Items { get; } = [];

        /// <summary>"Label : value"; nothing when the value is empty.</summary>
        public Section Line(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) Items.Add(new Item(label, [value.Trim()], null, Bulleted: false));
            return this;
        }

        /// <summary>"Label :" then one bullet per value; nothing when there is none.</summary>
        public Section List(string label, IEnumerable<string?> values)
        {
            var kept = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
            if (kept.Count > 0) Items.Add(new Item(label, kept, null, Bulleted: true));
            return this;
        }

        public Section Link(string label, Uri? link)
        {
            if (link is not null) Items.Add(new Item(label, [link.ToString()], link, Bulleted: false));
            return this;
        }
    }

    internal sealed record Item(string Label, IReadOnlyList<string> Values, Uri? Link, bool Bulleted);

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(title.ToUpper(InFrench.Culture)).Append('\n').Append(lead).Append('\n');
        foreach (var section in _sections.Where(s => s.Items.Count > 0))
        {
            text.Append('\n').Append(section.Title.ToUpper(InFrench.Culture)).Append('\n');
            foreach (var item in section.Items)
            {
                if (!item.Bulleted) text.Append(item.Label).Append(" : ").Append(item.Values[0]).Append('\n');
                else
                {
                    text.Append(item.Label).Append(" :\n");
                    foreach (var value in item.Values) text.Append("  - ").Append(value).Append('\n');
                }
            }
        }
        if (_closing is not null) text.Append('\n').Append(_closing).Append('\n');
        return text.ToString();
    }

    /// <summary>Every value HTML-encoded; the markup is ours alone.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><title>").Append(Encode(Subject)).Append("</title></head>\n<body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p>").Append(Encode(lead)).Append("</p>\n");
        foreach (var section in _sections.Where(s => s.Items.Count > 0))
        {
            html.Append("<h2>").Append(Encode(section.Title)).Append("</h2>\n");
            foreach (var item in section.Items)
            {
                html.Append("<p><strong>").Append(Encode(item.Label)).Append(" :</strong>");
                if (item.Link is { } link)
                    html.Append(" <a href=\"").Append(Encode(link.ToString())).Append("\">").Append(Encode(item.Values[0])).Append("</a></p>\n");
                else if (!item.Bulleted)
                    html.Append(' ').Append(Encode(item.Values[0])).Append("</p>\n");
                else
                {
                    html.Append("</p>\n<ul>\n");
                    foreach (var value in item.Values) html.Append("<li>").Append(Encode(value)).Append("</li>\n");
                    html.Append("</ul>\n");
                }
            }
        }
        if (_closing is not null) html.Append("<p lang=\"en\">").Append(Encode(_closing)).Append("</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The five characters that could end a text or an attribute value; everything else reads as written.</summary>
    public static string Encode(string value)
    {
        var encoded = new StringBuilder(value.Length + 16);
        foreach (var c in value)
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return encoded.ToString();
    }
}
