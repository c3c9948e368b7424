// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Chhaya.Safety;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// The X25519 Montgomery ladder of RFC 7748 §5 with the four coordinates (x2, z2, x3, z3) in the four lanes of
/// <see cref="FieldElement4"/> (AVX2). Each ladder step is three four-way multiplications:
/// <list type="number">
/// <item>(A, B, D, C) · (A, B, A, B) = (AA, BB, DA, CB), with A = x2 + z2, B = x2 − z2, C = x3 + z3, D = x3 − z3;</item>
/// <item>(BB, E, DA + CB, DA − CB) · (AA, a24, DA + CB, DA − CB) = (x2', a24·E, x3', (DA − CB)²), E = AA − BB;</item>
/// <item>(x2', E, x3', (DA − CB)²) · (1, AA + a24·E, 1, x1) = (x2', z2', x3', z3').</item>
/// </list>
/// Between them the additions, subtractions and lane moves are a handful of in-lane shuffles and blends per
/// limb. Same results as <see cref="MontgomeryLadder.ScalarMultPortable"/> for every input.
/// </summary>
/// <remarks>
/// Constant time in the scalar: 255 identical steps; the conditional swap of (x2, z2) with (x3, z3) is a
/// lane permutation selected by a byte blend under a mask made from the scalar bit, with no branch and no
/// memory index that depends on it. All inputs to a multiplication are carried products or sums and
/// differences (plus 2p) of carried values, so every limb stays below 3·2^26 (see <see cref="FieldElement4"/>).
/// </remarks>
internal static class VectorLadder
{
    /// <summary>True when the processor has AVX2, which every method here requires.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>(A − 2)/4 for curve25519's A = 486662 (RFC 7748 §5).</summary>
    private const ulong A24 = 121665;

    // vpblendd masks over the eight 32-bit halves of the four 64-bit lanes.
    private const byte Lane0 = 0b0000_0011, Lane1 = 0b0000_1100, Lanes13 = 0b1100_1100, Lanes23 = 0b1111_0000;

    // vpshufd 0x4E swaps the two 64-bit lanes inside each 128-bit half: (l0, l1, l2, l3) → (l1, l0, l3, l2).
    private const byte SwapPairs = 0b0100_1110;

    // vpermq selectors: (l2, l3, l0, l1) for the ladder swap, (l0, l1, l0, l1) for the first right operand.
    private const byte SwapHalves = 0b0100_1110, LowHalfTwice = 0b0100_0100;

    /// <summary>The ladder's buffers, in one block so one wipe clears them.</summary>
    private struct Workspace
    {
        public FieldElement4 State;   // (x2, z2, x3, z3)
        public FieldElement4 Left;    // left operand of a multiplication; after round 2 it keeps E in lane 1
        public FieldElement4 Right;   // right operand
        public FieldElement4 First;   // (AA, BB, DA, CB)
        public FieldElement4 Second;  // (x2', a24·E, x3', (DA − CB)²)
        public FieldElement4 Scratch; // 19·b inside the multiplication
        public FieldElement4 Third;   // constant right operand of round 3: (1, 0, 1, x1)
    }

    /// <summary>
    /// X25519(k, u) into 32 bytes for a clamped scalar <paramref name="k"/> and the u-coordinate
    /// <paramref name="u"/> (bit 255 ignored, values ≥ p accepted and reduced).
    /// </summary>
    /// <remarks>
    /// This method, <see cref="Step"/> and the product are compiled straight to optimised code
    /// (<c>AggressiveOptimization</c>): their unoptimised Tier-0 copies (13 KB for the product alone, every
    /// vector kept on the stack) would otherwise run the first agreements of a process.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScalarMult(ReadOnlySpan<byte> k, ReadOnlySpan<byte> u, Span<byte> destination)
    {
        Guard.ExactLength(k.Length, 32, nameof(k));
        Guard.ExactLength(u.Length, 32, nameof(u));
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        var ws = default(Workspace);
        try
        {
            var x1 = FieldElement.FromBytes(u);
            ws.State.SetLane(0, FieldElement.One);
            ws.State.SetLane(2, x1);
            ws.State.SetLane(3, FieldElement.One);
            ws.Third.SetLane(0, FieldElement.One);
            ws.Third.SetLane(2, FieldElement.One);
            ws.Third.SetLane(3, x1);

            ulong swap = 0;
            for (var t = 254; t >= 0; t--)
            {
                var bit = (ulong)(k[t >> 3] >> (t & 7)) & 1;
                Step(ref ws, Vector256.Create(ConstantTime.MaskFromBit(swap ^ bit)).AsByte());
                swap = bit;
            }

            var mask = Vector256.Create(ConstantTime.MaskFromBit(swap)).AsByte();
            for (var i = 0; i < FieldElement4.Limbs; i++)
            {
                ws.State[i] = Swap(ws.State[i], mask);
            }

            var x2 = ws.State.GetLane(0);
            var z2 = ws.State.GetLane(1);
            FieldElement.Mul(x2, FieldElement.InvertBlinded(z2)).ToBytes(destination);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(
                MemoryMarshal.AsBytes(new Span<Workspace>(ref ws)));
        }
    }

    /// <summary>One ladder step on <see cref="Workspace.State"/>, after swapping the two points when the mask is all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Step(ref Workspace ws, Vector256<byte> swap)
    {
        Round1(ref ws, 0, swap, FieldElement4.TwoP0);
        Round1(ref ws, 1, swap, FieldElement4.TwoPOdd);
        Round1(ref ws, 2, swap, FieldElement4.TwoPEven);
        Round1(ref ws, 3, swap, FieldElement4.TwoPOdd);
        Round1(ref ws, 4, swap, FieldElement4.TwoPEven);
        Round1(ref ws, 5, swap, FieldElement4.TwoPOdd);
        Round1(ref ws, 6, swap, FieldElement4.TwoPEven);
        Round1(ref ws, 7, swap, FieldElement4.TwoPOdd);
        Round1(ref ws, 8, swap, FieldElement4.TwoPEven);
        Round1(ref ws, 9, swap, FieldElement4.TwoPOdd);
        FieldElement4.Mul(ws.Left, ws.Right, ref ws.Scratch, ref ws.First);

        Round2(ref ws, 0, FieldElement4.TwoP0, A24);
        Round2(ref ws, 1, FieldElement4.TwoPOdd, 0);
        Round2(ref ws, 2, FieldElement4.TwoPEven, 0);
        Round2(ref ws, 3, FieldElement4.TwoPOdd, 0);
        Round2(ref ws, 4, FieldElement4.TwoPEven, 0);
        Round2(ref ws, 5, FieldElement4.TwoPOdd, 0);
        Round2(ref ws, 6, FieldElement4.TwoPEven, 0);
        Round2(ref ws, 7, FieldElement4.TwoPOdd, 0);
        Round2(ref ws, 8, FieldElement4.TwoPEven, 0);
        Round2(ref ws, 9, FieldElement4.TwoPOdd, 0);
        FieldElement4.Mul(ws.Left, ws.Right, ref ws.Scratch, ref ws.Second);

        Round3(ref ws, 0);
        Round3(ref ws, 1);
        Round3(ref ws, 2);
        Round3(ref ws, 3);
        Round3(ref ws, 4);
        Round3(ref ws, 5);
        Round3(ref ws, 6);
        Round3(ref ws, 7);
        Round3(ref ws, 8);
        Round3(ref ws, 9);

        FieldElement4.Mul(ws.Left, ws.Right, ref ws.Scratch, ref ws.State);
    }

    /// <summary>
    /// Limb i of round 1: the swapped state (x2, z2, x3, z3) → (A, B, C, D) → left (A, B, D, C), right (A, B, A, B).
    /// Sums of carried limbs and carried + 2p − carried, all below 3·2^26.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round1(ref Workspace ws, int i, Vector256<byte> swap, ulong twoP)
    {
        var v = Swap(ws.State[i], swap);
        var w = Avx2.Shuffle(v.AsUInt32(), SwapPairs).AsUInt64();            // (z2, x2, z3, x3)
        var sum = v + w;
        var difference = w + Vector256.Create(twoP) - v;                     // lanes 1, 3: x2 − z2, x3 − z3
        var t = Avx2.Blend(sum.AsUInt32(), difference.AsUInt32(), Lanes13); // (A, B, C, D)
        var t2 = Avx2.Shuffle(t, SwapPairs);                                 // (B, A, D, C)
        ws.Left[i] = Avx2.Blend(t, t2, Lanes23).AsUInt64();
        ws.Right[i] = Avx2.Permute4x64(t.AsUInt64(), LowHalfTwice);
    }

    /// <summary>
    /// Limb i of round 2: (AA, BB, DA, CB) → left (BB, E, DA + CB, DA − CB), right (AA, a24, DA + CB, DA − CB).
    /// <paramref name="a24"/> is limb i of the constant a24 (121665 in limb 0, zero above).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round2(ref Workspace ws, int i, ulong twoP, ulong a24)
    {
        var v = ws.First[i].AsUInt32();
        var w = Avx2.Shuffle(v, SwapPairs);                                         // (BB, AA, CB, DA)
        var sum = v.AsUInt64() + w.AsUInt64();
        var difference = w.AsUInt64() + Vector256.Create(twoP) - v.AsUInt64();      // lanes 1, 3: E, DA − CB
        var t = Avx2.Blend(sum.AsUInt32(), difference.AsUInt32(), Lanes13);         // (·, E, DA + CB, DA − CB)
        ws.Left[i] = Avx2.Blend(t, w, Lane0).AsUInt64();
        var right = Avx2.Blend(t, v, Lane0);
        ws.Right[i] = Avx2.Blend(right, Vector256.Create(0, a24, 0, 0).AsUInt32(), Lane1).AsUInt64();
    }

    /// <summary>
    /// Limb i of round 3: left (x2', E, x3', (DA − CB)²), right (1, AA + a24·E, 1, x1). AA + a24·E is the sum of
    /// two carried values, below 3·2^26.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round3(ref Workspace ws, int i)
    {
        var s = ws.Second[i].AsUInt32();
        var f = Avx2.Shuffle(ws.First[i].AsUInt32(), SwapPairs).AsUInt64() + s.AsUInt64(); // lane 1: AA + a24·E
        ws.Left[i] = Avx2.Blend(s, ws.Left[i].AsUInt32(), Lane1).AsUInt64();
        ws.Right[i] = Avx2.Blend(ws.Third[i].AsUInt32(), f.AsUInt32(), Lane1).AsUInt64();
    }

    /// <summary>(l2, l3, l0, l1) when every byte of the mask is 0xFF, the vector unchanged when it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Swap(Vector256<ulong> v, Vector256<byte> mask) =>
        Avx2.BlendVariable(v.AsByte(), Avx2.Permute4x64(v, SwapHalves).AsByte(), mask).AsUInt64();
}
