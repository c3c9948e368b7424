// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Crypto.Edwards;

/// <summary>Rewritings of a 32-byte little-endian scalar into digits for the scalar multiplications.</summary>
internal static class ScalarRecoding
{
    /// <summary>
    /// Signed radix 16: k = Σ eᵢ·16^i with 64 digits eᵢ in [−8, 8), the last in [−8, 8] — so a table of
    /// 1·P … 8·P plus a conditional negation covers every digit. Branch-free (secret scalars). Requires
    /// k &lt; 2^255 (bit 255 clear), which clamped keys and values reduced mod L satisfy.
    /// </summary>
    public static void SignedRadix16(ReadOnlySpan<byte> scalar, Span<sbyte> digits)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Guard.ExactLength(digits.Length, 64, nameof(digits));
        if (scalar[31] > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(scalar), "The scalar must be below 2^255.");
        }

        for (var i = 0; i < 32; i++)
        {
            digits[2 * i] = (sbyte)(scalar[i] & 15);
            digits[(2 * i) + 1] = (sbyte)(scalar[i] >> 4);
        }

        // Move each digit from [0, 16] into [−8, 8) by carrying 1 into the next digit when it is ≥ 8.
        var carry = 0;
        for (var i = 0; i < 63; i++)
        {
            var d = digits[i] + carry;
            carry = (d + 8) >> 4;
            digits[i] = (sbyte)(d - (carry << 4));
        }

        digits[63] = (sbyte)(digits[63] + carry);
    }

    /// <summary>
    /// Width-w non-adjacent form for PUBLIC scalars: 256 digits, each 0 or odd with |digit| &lt; 2^(w−1), and
    /// at most one non-zero digit in any w consecutive positions, so a multiplication needs only the odd
    /// multiples 1·P, 3·P, … (2^(w−1) − 1)·P and about 256/(w + 1) additions. Branches on the scalar: never
    /// use it with a secret. Requires k &lt; 2^255 so the final carry has room.
    /// </summary>
    public static void NonAdjacentForm(ReadOnlySpan<byte> scalar, Span<sbyte> naf, int width)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Guard.ExactLength(naf.Length, 256, nameof(naf));
        var limit = (1 << (width - 1)) - 1;
        for (var i = 0; i < 256; i++)
        {
            naf[i] = (sbyte)((scalar[i >> 3] >> (i & 7)) & 1);
        }

        // Scan upwards; fold each following set bit into the current digit while it stays within ±limit,
        // propagating a carry when subtracting (the sliding-window recoding of ref10 and Bernstein et al.).
        for (var i = 0; i < 256; i++)
        {
            if (naf[i] == 0)
            {
                continue;
            }

            for (var b = 1; b <= width + 1 && i + b < 256; b++)
            {
                if (naf[i + b] == 0)
                {
                    continue;
                }

                var shifted = naf[i + b] << b;
                if (naf[i] + shifted <= limit)
                {
                    naf[i] = (sbyte)(naf[i] + shifted);
                    naf[i + b] = 0;
                }
                else if (naf[i] - shifted >= -limit)
                {
                    naf[i] = (sbyte)(naf[i] - shifted);
                    for (var k = i + b; k < 256; k++)
                    {
                        if (naf[k] == 0)
                        {
                            naf[k] = 1;
                            break;
                        }

                        naf[k] = 0;
                    }
                }
                else
                {
                    break;
                }
            }
        }
    }
}
