using System.Globalization;

namespace Pare.Cell.Domain.Common;

/// <summary>
/// A user-facing sentence in the two languages the cell works in. The domain states its
/// refusals in both; the HTTP layer picks one from the request's Accept-Language.
/// </summary>
public sealed record Bilingual(string English, string French)
{
    public string ForCulture(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "fr" ? French : English;

    public override string ToString() => ForCulture(CultureInfo.CurrentUICulture);
}
