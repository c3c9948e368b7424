// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Chhaya.Safety;
using static Chhaya.Crypto.Edwards.FieldElement;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// The X25519 function of RFC 7748 §5 on our own field arithmetic: clamping, the top bit of u masked,
/// non-canonical u accepted, and the constant-time Montgomery ladder with a mask-based conditional swap.
/// </summary>
internal static class MontgomeryLadder
{
    /// <summary>(A − 2)/4 for curve25519's A = 486662, the constant of the ladder step (RFC 7748 §5).</summary>
    private const ulong A24 = 121665;

    /// <summary>
    /// X25519(k, u) into 32 bytes: the four-way AVX2 ladder (<see cref="VectorLadder"/>) where the processor has
    /// AVX2, else <see cref="ScalarMultPortable"/>; both give the same bytes for every input. Runs 255 identical
    /// ladder steps whatever k and u are; the only data-dependent choices are mask-based swaps. The caller checks
    /// for the all-zero output.
    /// </summary>
    public static void ScalarMult(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> destination)
    {
        if (!VectorLadder.IsSupported)
        {
            ScalarMultPortable(scalar, u, destination);
            return;
        }

        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Span<byte> k = stackalloc byte[32];
        try
        {
            scalar.CopyTo(k);
            Clamp(k);
            VectorLadder.ScalarMult(k, u, destination);
        }
        finally
        {
            k.Clear();
        }
    }

    /// <summary>
    /// X25519(k, u) on the radix-2^51 <see cref="FieldElement"/>: the ladder for processors without AVX2 and the
    /// reference the four-way ladder is tested against.
    /// </summary>
    public static void ScalarMultPortable(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> destination)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Guard.ExactLength(u.Length, 32, nameof(u));
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        Span<byte> k = stackalloc byte[32];
        Span<FieldElement> state = stackalloc FieldElement[5];
        try
        {
            scalar.CopyTo(k);
            Clamp(k);

            // FromBytes ignores bit 255 (the mask of RFC 7748 §5) and accepts values ≥ p, which the
            // arithmetic reduces as it goes (decodeUCoordinate).
            // The ulong view puts (x2, z2) at limbs 5–14 and (x3, z3) at 15–24 for the swap.
            var limbs = MemoryMarshal.Cast<FieldElement, ulong>(state);
            ref var x1 = ref state[0];
            ref var x2 = ref state[1];
            ref var z2 = ref state[2];
            ref var x3 = ref state[3];
            ref var z3 = ref state[4];
            x1 = FromBytes(u);
            x2 = One;
            z2 = Zero;
            x3 = x1;
            z3 = One;

            ulong swap = 0;
            for (var t = 254; t >= 0; t--)
            {
                var bit = (ulong)(k[t >> 3] >> (t & 7)) & 1;
                SwapPairs(limbs, ConstantTime.MaskFromBit(swap ^ bit));
                swap = bit;

                // Every subtrahend and minuend here is a product, a square or an initial value (limbs below
                // 2^52), so the subtractions can skip their carry round (SubUncarried).
                var a = Add(x2, z2);
                var aa = Square(a);
                var b = SubUncarried(x2, z2);
                var bb = Square(b);
                var e = SubUncarried(aa, bb);
                var c = Add(x3, z3);
                var d = SubUncarried(x3, z3);
                var da = Mul(d, a);
                var cb = Mul(c, b);
                x3 = Square(Add(da, cb));
                z3 = Mul(x1, Square(SubUncarried(da, cb)));
                x2 = Mul(aa, bb);
                z2 = Mul(e, Add(aa, MulSmall(e, A24)));
            }

            SwapPairs(limbs, ConstantTime.MaskFromBit(swap));
            Mul(x2, InvertBlinded(z2)).ToBytes(destination);
        }
        finally
        {
            k.Clear();
            state.Clear();
        }
    }

    /// <summary>
    /// X25519(k, 9), the public key, through the fixed-base comb on the birationally equivalent edwards25519
    /// (RFC 7748 §4.1: u = (1 + y)/(1 − y), and the base point u = 9 corresponds to B): about five times
    /// fewer field operations than a ladder. Same result as <see cref="ScalarMult"/> with u = 9.
    /// </summary>
    public static void ScalarMultBase(ReadOnlySpan<byte> scalar, Span<byte> destination)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        Span<byte> k = stackalloc byte[32];
        try
        {
            scalar.CopyTo(k);
            Clamp(k);
            EdwardsPoint.ScalarMulBase(k).ToMontgomeryU(destination);
        }
        finally
        {
            k.Clear();
        }
    }

    /// <summary>
    /// Exchanges (x2, z2) and (x3, z3), limbs 5–14 and 15–24 of the ladder state, when <paramref name="mask"/>
    /// is all ones: XOR-swap under the mask, two 256-bit vectors and two single limbs per side, no branch.
    /// </summary>
    private static void SwapPairs(Span<ulong> limbs, ulong mask)
    {
        var m = Vector256.Create(mask);
        var p = limbs.Slice(5, 10);
        var q = limbs.Slice(15, 10);
        var p0 = Vector256.Create<ulong>(p[..4]);
        var q0 = Vector256.Create<ulong>(q[..4]);
        var p1 = Vector256.Create<ulong>(p[4..8]);
        var q1 = Vector256.Create<ulong>(q[4..8]);
        var t0 = (p0 ^ q0) & m;
        var t1 = (p1 ^ q1) & m;
        (p0 ^ t0).CopyTo(p);
        (q0 ^ t0).CopyTo(q);
        (p1 ^ t1).CopyTo(p[4..]);
        (q1 ^ t1).CopyTo(q[4..]);
        var t8 = (p[8] ^ q[8]) & mask;
        var t9 = (p[9] ^ q[9]) & mask;
        p[8] ^= t8;
        q[8] ^= t8;
        p[9] ^= t9;
        q[9] ^= t9;
    }

    /// <summary>decodeScalar25519 of RFC 7748 §5: clear the three low bits and bit 255, set bit 254.</summary>
    public static void Clamp(Span<byte> k)
    {
        k[0] &= 248;
        k[31] &= 127;
        k[31] |= 64;
    }
}
