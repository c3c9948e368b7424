// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// Four Keccak-f[1600] permutations at once: element l of every <see cref="Vector256{T}"/> lane belongs to instance
/// l. The same θ, ρ, π, χ, ι steps as <see cref="Keccak"/>, on 256-bit registers (AVX2 has no 64-bit rotate, so
/// a rotation is two shifts and an OR). ML-KEM samples four matrix entries or four CBD inputs per call.
/// </summary>
internal static class Keccak4
{
    /// <summary>True when 256-bit vectors run in hardware; otherwise callers use the scalar sponge.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>Applies Keccak-f[1600] to four interleaved states (25 lanes of 4 × 64 bits) in place.</summary>
    public static void Permute(Span<Vector256<ulong>> state)
    {
        if (state.Length != 25)
        {
            throw new ArgumentException("Keccak-f[1600] has 25 lanes.", nameof(state));
        }

        var a0 = state[0];
        var a1 = state[1];
        var a2 = state[2];
        var a3 = state[3];
        var a4 = state[4];
        var a5 = state[5];
        var a6 = state[6];
        var a7 = state[7];
        var a8 = state[8];
        var a9 = state[9];
        var a10 = state[10];
        var a11 = state[11];
        var a12 = state[12];
        var a13 = state[13];
        var a14 = state[14];
        var a15 = state[15];
        var a16 = state[16];
        var a17 = state[17];
        var a18 = state[18];
        var a19 = state[19];
        var a20 = state[20];
        var a21 = state[21];
        var a22 = state[22];
        var a23 = state[23];
        var a24 = state[24];
        var constants = Keccak.RoundConstants;
        for (var round = 0; round < 24; round++)
        {
            var c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
            var c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
            var c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
            var c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
            var c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
            var d0 = c4 ^ Rotate(c1, 1);
            var d1 = c0 ^ Rotate(c2, 1);
            var d2 = c1 ^ Rotate(c3, 1);
            var d3 = c2 ^ Rotate(c4, 1);
            var d4 = c3 ^ Rotate(c0, 1);

            var b0 = a0 ^ d0;
            var b10 = Rotate(a1 ^ d1, 1);
            var b20 = Rotate(a2 ^ d2, 62);
            var b5 = Rotate(a3 ^ d3, 28);
            var b15 = Rotate(a4 ^ d4, 27);
            var b16 = Rotate(a5 ^ d0, 36);
            var b1 = Rotate(a6 ^ d1, 44);
            var b11 = Rotate(a7 ^ d2, 6);
            var b21 = Rotate(a8 ^ d3, 55);
            var b6 = Rotate(a9 ^ d4, 20);
            var b7 = Rotate(a10 ^ d0, 3);
            var b17 = Rotate(a11 ^ d1, 10);
            var b2 = Rotate(a12 ^ d2, 43);
            var b12 = Rotate(a13 ^ d3, 25);
            var b22 = Rotate(a14 ^ d4, 39);
            var b23 = Rotate(a15 ^ d0, 41);
            var b8 = Rotate(a16 ^ d1, 45);
            var b18 = Rotate(a17 ^ d2, 15);
            var b3 = Rotate(a18 ^ d3, 21);
            var b13 = Rotate(a19 ^ d4, 8);
            var b14 = Rotate(a20 ^ d0, 18);
            var b24 = Rotate(a21 ^ d1, 2);
            var b9 = Rotate(a22 ^ d2, 61);
            var b19 = Rotate(a23 ^ d3, 56);
            var b4 = Rotate(a24 ^ d4, 14);

            a0 = b0 ^ Vector256.AndNot(b2, b1);
            a1 = b1 ^ Vector256.AndNot(b3, b2);
            a2 = b2 ^ Vector256.AndNot(b4, b3);
            a3 = b3 ^ Vector256.AndNot(b0, b4);
            a4 = b4 ^ Vector256.AndNot(b1, b0);
            a5 = b5 ^ Vector256.AndNot(b7, b6);
            a6 = b6 ^ Vector256.AndNot(b8, b7);
            a7 = b7 ^ Vector256.AndNot(b9, b8);
            a8 = b8 ^ Vector256.AndNot(b5, b9);
            a9 = b9 ^ Vector256.AndNot(b6, b5);
            a10 = b10 ^ Vector256.AndNot(b12, b11);
            a11 = b11 ^ Vector256.AndNot(b13, b12);
            a12 = b12 ^ Vector256.AndNot(b14, b13);
            a13 = b13 ^ Vector256.AndNot(b10, b14);
            a14 = b14 ^ Vector256.AndNot(b11, b10);
            a15 = b15 ^ Vector256.AndNot(b17, b16);
            a16 = b16 ^ Vector256.AndNot(b18, b17);
            a17 = b17 ^ Vector256.AndNot(b19, b18);
            a18 = b18 ^ Vector256.AndNot(b15, b19);
            a19 = b19 ^ Vector256.AndNot(b16, b15);
            a20 = b20 ^ Vector256.AndNot(b22, b21);
            a21 = b21 ^ Vector256.AndNot(b23, b22);
            a22 = b22 ^ Vector256.AndNot(b24, b23);
            a23 = b23 ^ Vector256.AndNot(b20, b24);
            a24 = b24 ^ Vector256.AndNot(b21, b20);
            a0 ^= Vector256.Create(constants[round]);
        }

        state[0] = a0;
        state[1] = a1;
        state[2] = a2;
        state[3] = a3;
        state[4] = a4;
        state[5] = a5;
        state[6] = a6;
        state[7] = a7;
        state[8] = a8;
        state[9] = a9;
        state[10] = a10;
        state[11] = a11;
        state[12] = a12;
        state[13] = a13;
        state[14] = a14;
        state[15] = a15;
        state[16] = a16;
        state[17] = a17;
        state[18] = a18;
        state[19] = a19;
        state[20] = a20;
        state[21] = a21;
        state[22] = a22;
        state[23] = a23;
        state[24] = a24;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotate(Vector256<ulong> x, int n) => Vector256.ShiftLeft(x, n) | Vector256.ShiftRightLogical(x, 64 - n);
}
