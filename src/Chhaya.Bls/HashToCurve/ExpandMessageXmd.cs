// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;

namespace Chhaya.Bls.HashToCurve;

/// <summary>expand_message_xmd with SHA-256 (RFC 9380 section 5.3.1), including the oversize-DST rule of 5.3.3.</summary>
internal static class ExpandMessageXmd
{
    private const int HashLength = 32;
    private const int BlockLength = 64;

    /// <summary>The largest output RFC 9380 allows: ell = ceil(len / 32) must not exceed 255.</summary>
    public const int MaxOutputLength = 255 * HashLength;

    private static readonly byte[] OversizePrefix = Encoding.ASCII.GetBytes("H2C-OVERSIZE-DST-");

    /// <summary>Fills <paramref name="output"/> with uniform bytes derived from msg and DST.</summary>
    /// <exception cref="ArgumentException">The output is empty or longer than <see cref="MaxOutputLength"/>.</exception>
    public static void Expand(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<byte> output)
    {
        if (output.Length is 0 or > MaxOutputLength)
        {
            throw new ArgumentException($"expand_message_xmd output must be 1 to {MaxOutputLength} bytes.", nameof(output));
        }

        // Section 5.3.3: a DST over 255 bytes is replaced by H("H2C-OVERSIZE-DST-" || DST).
        Span<byte> shortDst = stackalloc byte[HashLength];
        scoped var effectiveDst = dst;
        if (dst.Length > 255)
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(OversizePrefix);
            h.AppendData(dst);
            h.GetHashAndReset(shortDst);
            effectiveDst = shortDst;
        }

        Span<byte> dstSuffix = stackalloc byte[effectiveDst.Length + 1];
        effectiveDst.CopyTo(dstSuffix);
        dstSuffix[^1] = (byte)effectiveDst.Length;

        var ell = (output.Length + HashLength - 1) / HashLength;
        Span<byte> lengthAndZero = [(byte)(output.Length >> 8), (byte)output.Length, 0];

        // b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime)
        Span<byte> b0 = stackalloc byte[HashLength];
        using (var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            Span<byte> zPad = stackalloc byte[BlockLength];
            zPad.Clear();
            h.AppendData(zPad);
            h.AppendData(message);
            h.AppendData(lengthAndZero);
            h.AppendData(dstSuffix);
            h.GetHashAndReset(b0);

            // b_1 = H(b_0 || 1 || DST_prime); b_i = H(strxor(b_0, b_(i-1)) || i || DST_prime)
            Span<byte> bi = stackalloc byte[HashLength];
            Span<byte> x = stackalloc byte[HashLength];
            b0.CopyTo(x);
            for (var i = 1; i <= ell; i++)
            {
                h.AppendData(x);
                h.AppendData([(byte)i]);
                h.AppendData(dstSuffix);
                h.GetHashAndReset(bi);
                var offset = (i - 1) * HashLength;
                bi[..Math.Min(HashLength, output.Length - offset)].CopyTo(output[offset..]);
                for (var j = 0; j < HashLength; j++)
                {
                    x[j] = (byte)(b0[j] ^ bi[j]);
                }
            }
        }
    }
}
