using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>The encoder of the console's hand-built HTML: the same as its pages' (every letter kept, markup escaped).</summary>
public static class ConsoleHtml
{
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
}
