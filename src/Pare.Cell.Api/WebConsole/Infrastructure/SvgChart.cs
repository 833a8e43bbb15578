using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>One bar: its label, its value (null: no data, no bar) and the value as the chart writes it.</summary>
public sealed record Bar(string Label, double? Value, string Shown);

/// <summary>
/// Bar charts drawn on the server as SVG: no script, no inline style (the CSP forbids both; colours come from
/// the stylesheet's classes), a title and a description read by screen readers (role="img"), each bar's value
/// written beside it. The page puts the same numbers in a table under the chart.
/// </summary>
public static class SvgChart
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string N(double value) => Math.Round(value, 1).ToString(Invariant);

    private static string E(string text) => ConsoleHtml.Encoder.Encode(text);

    private static StringBuilder Open(string id, string title, string description, int width, int height)
    {
        var b = new StringBuilder();
        b.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height)
            .Append("\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" focusable=\"false\">")
            .Append("<title id=\"").Append(id).Append("-t\">").Append(E(title)).Append("</title>")
            .Append("<desc id=\"").Append(id).Append("-d\">").Append(E(description)).Append("</desc>");
        return b;
    }

    /// <summary>Vertical bars (months along the bottom). <paramref name="max"/> fixes the scale (100 for a share).</summary>
    public static IHtmlContent Columns(string id, string title, string description, IReadOnlyList<Bar> bars, double? max = null, string css = "bar")
    {
        const int width = 600, height = 260, left = 8, right = 8, top = 22, bottom = 40;
        var plot = height - top - bottom;
        var top1 = max ?? Math.Max(1, bars.Max(b => b.Value ?? 0));
        var slot = (double)(width - left - right) / Math.Max(1, bars.Count);
        var b = Open(id, title, description, width, height);
        b.Append("<g aria-hidden=\"true\">");
        b.Append("<line class=\"axis\" x1=\"").Append(left).Append("\" x2=\"").Append(width - right).Append("\" y1=\"").Append(top + plot).Append("\" y2=\"").Append(top + plot).Append("\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = left + i * slot;
            var center = x + slot / 2;
            if (bar.Value is { } value)
            {
                var h = Math.Max(value > 0 ? 1 : 0, plot * value / top1);
                b.Append("<rect class=\"").Append(css).Append("\" x=\"").Append(N(x + slot * 0.15)).Append("\" y=\"").Append(N(top + plot - h))
                    .Append("\" width=\"").Append(N(slot * 0.7)).Append("\" height=\"").Append(N(h)).Append("\"/>");
                b.Append("<text class=\"value\" text-anchor=\"middle\" x=\"").Append(N(center)).Append("\" y=\"").Append(N(top + plot - h - 5)).Append("\">")
                    .Append(E(bar.Shown)).Append("</text>");
            }
            else
            {
                b.Append("<text class=\"value\" text-anchor=\"middle\" x=\"").Append(N(center)).Append("\" y=\"").Append(top + plot - 5).Append("\">—</text>");
            }
            b.Append("<text text-anchor=\"middle\" x=\"").Append(N(center)).Append("\" y=\"").Append(top + plot + 18).Append("\">").Append(E(bar.Label)).Append("</text>");
        }
        return new HtmlString(b.Append("</g></svg>").ToString());
    }

    /// <summary>Horizontal bars, one per labelled row (long labels: partner type and outcome).</summary>
    public static IHtmlContent Rows(string id, string title, string description, IReadOnlyList<Bar> bars, string css = "bar")
    {
        const int width = 600, labelWidth = 300, row = 28, top = 6, right = 40;
        var height = top * 2 + Math.Max(1, bars.Count) * row;
        var top1 = Math.Max(1, bars.Max(b => b.Value ?? 0));
        var plot = width - labelWidth - right;
        var b = Open(id, title, description, width, height);
        b.Append("<g aria-hidden=\"true\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + i * row;
            b.Append("<text x=\"").Append(labelWidth - 8).Append("\" y=\"").Append(y + 18).Append("\" text-anchor=\"end\">").Append(E(bar.Label)).Append("</text>");
            var w = bar.Value is { } v ? Math.Max(v > 0 ? 1 : 0, plot * v / top1) : 0;
            b.Append("<rect class=\"").Append(css).Append("\" x=\"").Append(labelWidth).Append("\" y=\"").Append(y + 5).Append("\" width=\"").Append(N(w)).Append("\" height=\"").Append(row - 10).Append("\"/>");
            b.Append("<text class=\"value\" x=\"").Append(N(labelWidth + w + 5)).Append("\" y=\"").Append(y + 18).Append("\">").Append(E(bar.Shown)).Append("</text>");
        }
        b.Append("<line class=\"axis\" x1=\"").Append(labelWidth).Append("\" x2=\"").Append(labelWidth).Append("\" y1=\"").Append(top).Append("\" y2=\"").Append(height - top).Append("\"/>");
        return new HtmlString(b.Append("</g></svg>").ToString());
    }
}
