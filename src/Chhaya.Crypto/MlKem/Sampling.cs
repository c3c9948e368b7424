// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

        // Three blocks give 168 candidate pairs; 256 accepted values need about 3.1 blocks on average.
        Span<byte> block = stackalloc byte[3 * KeccakSponge.Shake128Rate];
        xof.Squeeze(block);
        var j = Accept(block, a, 0);
        while (j < PolyArithmetic.N)
        {
            block = block[..KeccakSponge.Shake128Rate];
            xof.Squeeze(block);
            j = Accept(block, a, j);
        }
    }

    /// <summary>
    /// Four SampleNTT calls at once on <see cref="Keccak4"/>: entry l is SampleNTT(ρ ‖ first[l] ‖ second[l]),
    /// written to a[256·l ..]. Falls back to four scalar calls without 256-bit vector hardware.
    /// </summary>
    public static void SampleNtt4(ReadOnlySpan<byte> rho, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<short> a)
    {
        if (!Keccak4.IsSupported)
        {
            for (var l = 0; l < 4; l++)
            {
                SampleNtt(rho, first[l], second[l], a.Slice(l * PolyArithmetic.N, PolyArithmetic.N));
            }

            return;
        }

        // Absorb the 34-byte inputs ρ ‖ i ‖ j and the SHAKE padding in one block: lanes 0–3 hold ρ (shared),
        // lane 4 holds the two index bytes and the 0x1F domain/padding byte, lane 20 the final 0x80.
        Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[25];
        state.Clear();
        for (var w = 0; w < 4; w++)
        {
            state[w] = Vector256.Create(BinaryPrimitives.ReadUInt64LittleEndian(rho[(8 * w)..]));
        }

        state[4] = Vector256.Create(
            IndexLane(first[0], second[0]), IndexLane(first[1], second[1]), IndexLane(first[2], second[2]), IndexLane(first[3], second[3]));
        state[(KeccakSponge.Shake128Rate / 8) - 1] = Vector256.Create(0x80UL << 56);

        Span<byte> blocks = stackalloc byte[4 * 3 * KeccakSponge.Shake128Rate];
        for (var b = 0; b < 3; b++)
        {
            Keccak4.Permute(state);
            Extract(state, KeccakSponge.Shake128Rate, blocks, b * KeccakSponge.Shake128Rate, 3 * KeccakSponge.Shake128Rate);
        }

        Span<int> filled = stackalloc int[4];
        var done = true;
        for (var l = 0; l < 4; l++)
        {
            filled[l] = Accept(blocks.Slice(l * 3 * KeccakSponge.Shake128Rate, 3 * KeccakSponge.Shake128Rate), a.Slice(l * PolyArithmetic.N, PolyArithmetic.N), 0);
            done &= filled[l] == PolyArithmetic.N;
        }

        // Rarely (well under 1 % per entry) 504 bytes are not enough: squeeze further blocks for all four.
        while (!done)
        {
            Keccak4.Permute(state);
            Extract(state, KeccakSponge.Shake128Rate, blocks, 0, KeccakSponge.Shake128Rate);
            done = true;
            for (var l = 0; l < 4; l++)
            {
                if (filled[l] < PolyArithmetic.N)
                {
                    filled[l] = Accept(blocks.Slice(l * KeccakSponge.Shake128Rate, KeccakSponge.Shake128Rate), a.Slice(l * PolyArithmetic.N, PolyArithmetic.N), filled[l]);
                }

                done &= filled[l] == PolyArithmetic.N;
            }
        }
    }

    // Algorithm 7's inner step: two 12-bit candidates per three bytes, each kept if below q, until 256 are kept.
    private static int Accept(ReadOnlySpan<byte> bytes, Span<short> a, int j)
    {
        for (var position = 0; position + 3 <= bytes.Length && j < PolyArithmetic.N; position += 3)
        {
            var c0 = bytes[position];
            var c1 = bytes[position + 1];
            var c2 = bytes[position + 2];
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

        return j;
    }

    private static ulong IndexLane(byte first, byte second) => first | ((ulong)second << 8) | (0x1FUL << 16);

    // Writes the first `rate` bytes of each of the four states to output[l · stride + offset ..].
    private static void Extract(ReadOnlySpan<Vector256<ulong>> state, int rate, Span<byte> output, int offset, int stride)
    {
        for (var w = 0; w < rate / 8; w++)
        {
            var lane = state[w];
            for (var l = 0; l < 4; l++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(output[((l * stride) + offset + (8 * w))..], lane.GetElement(l));
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
        Cbd2(bytes, f);
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>
    /// Four SamplePolyCBD_2(PRF_2(seed, nonce + l)) at once on <see cref="Keccak4"/>, written to f[256·l ..]; the
    /// Keccak states and PRF outputs are wiped. Falls back to four scalar calls without 256-bit vector hardware.
    /// </summary>
    public static void SampleCbd2x4(ReadOnlySpan<byte> seed, byte nonce, Span<short> f)
    {
        if (!Keccak4.IsSupported)
        {
            for (var l = 0; l < 4; l++)
            {
                SampleCbd2(seed, (byte)(nonce + l), f.Slice(l * PolyArithmetic.N, PolyArithmetic.N));
            }

            return;
        }

        // One SHAKE256 block: the 33-byte input s ‖ N, the 0x1F byte right after it, 0x80 at byte 135.
        Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[25];
        Span<byte> bytes = stackalloc byte[4 * PrfLength];
        try
        {
            state.Clear();
            for (var w = 0; w < 4; w++)
            {
                state[w] = Vector256.Create(BinaryPrimitives.ReadUInt64LittleEndian(seed[(8 * w)..]));
            }

            state[4] = Vector256.Create(
                NonceLane(nonce), NonceLane((byte)(nonce + 1)), NonceLane((byte)(nonce + 2)), NonceLane((byte)(nonce + 3)));
            state[(KeccakSponge.Shake256Rate / 8) - 1] = Vector256.Create(0x80UL << 56);
            Keccak4.Permute(state);
            Extract(state, PrfLength, bytes, 0, PrfLength);
            for (var l = 0; l < 4; l++)
            {
                Cbd2(bytes.Slice(l * PrfLength, PrfLength), f.Slice(l * PolyArithmetic.N, PolyArithmetic.N));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(state));
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    // Algorithm 8 for η = 2 on 128 PRF bytes.
    private static void Cbd2(ReadOnlySpan<byte> bytes, Span<short> f)
    {
        for (var i = 0; i < PrfLength; i++)
        {
            int b = bytes[i];

            // Bit-sliced sums: each 2-bit field of (b & 0x55) + ((b >> 1) & 0x55) is the sum of one bit pair.
            var sums = (b & 0x55) + ((b >> 1) & 0x55);
            f[2 * i] = (short)((sums & 3) - ((sums >> 2) & 3));
            f[(2 * i) + 1] = (short)(((sums >> 4) & 3) - ((sums >> 6) & 3));
        }
    }

    private static ulong NonceLane(byte nonce) => nonce | (0x1FUL << 8);
}
