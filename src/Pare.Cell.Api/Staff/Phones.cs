using PhoneNumbers;

namespace Pare.Cell.Api.Staff;

/// <summary>
/// Professional phone numbers, read the way people type them ("06 12 34 56 78", "+33 6 12…",
/// "0033 6…", "06.12.34.56.78"; France unless a country code says otherwise) and kept in one form,
/// E.164 (<c>+33612345678</c>), so that a number is found and compared as itself. Shown back as a
/// French reader dials it: national for French numbers, international otherwise.
/// </summary>
public static class Phones
{
    private const string Region = "FR";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>The number in E.164, or null when it is not a valid phone number.</summary>
    public static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40) return null;
        try
        {
            var number = Util.Parse(text, Region);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>"06 12 34 56 78" for a French number, "+44 20 7946 0000" for another; as stored when it does not parse.</summary>
    public static string Display(string stored)
    {
        try
        {
            var number = Util.Parse(stored, Region);
            return Util.Format(number, Util.GetRegionCodeForNumber(number) == Region ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return stored;
        }
    }
}
