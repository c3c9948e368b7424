// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;

namespace Chhaya.Crypto.MlKem;

/// <summary>SampleNTT (FIPS 203 Algorithm 7), SamplePolyCBD for η = 2 (Algorithm 8) and PRF_η (§4.1).</summary>
internal static class Sampling
{
    /// <summary>η1 = η2 = 2 for ML-KEM-1024 (FIPS 203 Table 2): PRF output is 64 · η = 128 bytes.</summary>
    public const int PrfLength = 128;

    /// <summary>
    /// Â[row, column] of the matrix expanded from ρ: SampleNTT(ρ ‖ j ‖ i) with the two index bytes given in the
    /// order the caller needs (Algorithm 13 uses (j, i) for Â[i, j]; Algorithm 14's transpose swaps them).
    /// </summary>
    /// <remarks>
    /// Rejection sampling branches and loops on the XOF output, which is fine because ρ and Â are public; the
    /// number of XOF blocks leaks nothing about a secret.
    /// </remarks>
    public static void SampleNtt(ReadOnlySpan<byte> rho, byte first, byte second, Span<short> a)
    {
        var xof = KeccakSponge.Shake128();
        xof.Absorb(rho[..32]);
        ReadOnlySpan<byte> indices = [first, second];
        xof.Absorb(indices);

        // Three blocks give 168 candidates each pair of 12-bit values; 256 accepted needs about 3.1 blocks on average.
        Span<byte> block = stackalloc byte[3 * KeccakSponge.Shake128Rate];
        xof.Squeeze(block);
        var j = 0;
        var position = 0;
        while (j < PolyArithmetic.N)
        {
            if (position == block.Length)
            {
                block = block[..KeccakSponge.Shake128Rate];
                xof.Squeeze(block);
                position = 0;
            }

            var c0 = block[position];
            var c1 = block[position + 1];
            var c2 = block[position + 2];
            position += 3;
            var d1 = c0 | ((c1 & 0x0F) << 8);
            var d2 = (c1 >> 4) | (c2 << 4);
            if (d1 < PolyArithmetic.Q)
            {
                a[j++] = (short)d1;
            }

            if (d2 < PolyArithmetic.Q && j < PolyArithmetic.N)
            {
                a[j++] = (short)d2;
            }
        }
    }

    /// <summary>
    /// SamplePolyCBD_2(PRF_2(s, b)) (Algorithm 8): each coefficient is (x0 + x1) − (y0 + y1) for its four bits, so
    /// in [−2, 2]; computed with shifts and masks only, and the PRF output is wiped.
    /// </summary>
    public static void SampleCbd2(ReadOnlySpan<byte> seed, byte nonce, Span<short> f)
    {
        Span<byte> bytes = stackalloc byte[PrfLength];
        ReadOnlySpan<byte> nonceByte = [nonce];
        KeccakSponge.Shake256(seed[..32], nonceByte, bytes);
        for (var i = 0; i < PrfLength; i++)
        {
            int b = bytes[i];

            // Bit-sliced sums: each 2-bit field of (b & 0x55) + ((b >> 1) & 0x55) is the sum of one bit pair.
            var sums = (b & 0x55) + ((b >> 1) & 0x55);
            f[2 * i] = (short)((sums & 3) - ((sums >> 2) & 3));
            f[(2 * i) + 1] = (short)(((sums >> 4) & 3) - ((sums >> 6) & 3));
        }

        CryptographicOperations.ZeroMemory(bytes);
    }
}
