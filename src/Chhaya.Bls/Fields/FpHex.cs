// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Bls.Fields;

/// <summary>Parses fixed constants written as big-endian hex. Never used on untrusted input.</summary>
internal static class FpHex
{
    /// <summary>Parses "0x…" (up to 96 hex digits, below p) into Montgomery form.</summary>
    /// <exception cref="ArgumentException">The constant is malformed; a programming error.</exception>
    public static Fp Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex;
        if (digits.Length > 96)
        {
            throw new ArgumentException("Field constant is longer than 48 bytes.", nameof(hex));
        }

        var bytes = Convert.FromHexString(digits.PadLeft(96, '0'));
        return Fp.TryFromBytes(bytes, out var value)
            ? value
            : throw new ArgumentException("Field constant is not below p.", nameof(hex));
    }
}
