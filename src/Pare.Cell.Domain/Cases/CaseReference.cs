namespace Pare.Cell.Domain.Cases;

/// <summary>
/// The reference people quote on the phone and in alerts ("PC-7K3M-Q9XD"). Derived from the
/// case id, so it needs no counter and carries no personal data.
/// </summary>
public static class CaseReference
{
    // Crockford base32: no I, L, O, U, so it survives being read aloud.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string For(Guid caseId)
    {
        Span<byte> bytes = stackalloc byte[16];
        caseId.TryWriteBytes(bytes, bigEndian: true, out _);
        // The last 5 bytes of a version-7 id are random: 40 bits, 8 symbols.
        ulong bits = 0;
        for (var i = 11; i < 16; i++) bits = (bits << 8) | bytes[i];
        Span<char> code = stackalloc char[8];
        for (var i = 7; i >= 0; i--)
        {
            code[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }
        return $"PC-{code[..4]}-{code[4..]}";
    }
}
