// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Chhaya.Safety;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// Four elements of GF(2^255 − 19) side by side for AVX2: ten limbs in radix 2^25.5 (limb i holds bits
/// ⌈25.5·i⌉ up, 26 bits wide for even i and 25 for odd i, the representation of ref10 and curve25519-donna-32),
/// one <see cref="Vector256{T}"/> per limb index whose four 64-bit lanes hold that limb of the four elements.
/// Only what the four-way Montgomery ladder needs (<see cref="VectorLadder"/>): the multiplication, loading and
/// reading one lane. Every operation runs in time independent of the values. Callers check
/// <see cref="Avx2.IsSupported"/>.
/// </summary>
/// <remarks>
/// Bounds (checked in DEBUG builds, which the tests use): a multiplication takes limbs below
/// <see cref="MulInputBound"/> = 3·2^26 and returns "carried" limbs: even limbs below 2^26, odd limbs below
/// 2^25 + 2^18. The sum of two carried elements and a carried a plus 2p minus a carried b (every limb of a
/// carried element is at most the matching limb of 2p) stay below 3·2^26, so the ladder multiplies them
/// without carrying first.
/// </remarks>
[InlineArray(Limbs)]
internal partial struct FieldElement4
{
    /// <summary>Number of limbs.</summary>
    public const int Limbs = 10;

    /// <summary>Exclusive bound on every limb a multiplication accepts (see <see cref="Mul(in FieldElement4, in FieldElement4, ref FieldElement4, ref FieldElement4)"/>).</summary>
    public const ulong MulInputBound = 3UL << 26;

    /// <summary>2p in limbs, added before a subtraction: limb 0, the other even limbs, the odd limbs.</summary>
    public const ulong TwoP0 = 2 * ((1UL << 26) - 19), TwoPEven = 2 * ((1UL << 26) - 1), TwoPOdd = 2 * ((1UL << 25) - 1);

    private Vector256<ulong> _limb;

    /// <summary>The bit position of limb i: ⌈25.5·i⌉.</summary>
    public static int Position(int i) => ((51 * i) + 1) / 2;

    /// <summary>The width of limb i: 26 bits for even i, 25 for odd i.</summary>
    public static int Width(int i) => (i & 1) == 0 ? 26 : 25;

    /// <summary>
    /// Sets lane <paramref name="lane"/> to the fully reduced value of <paramref name="value"/> (limbs exactly at
    /// their widths), leaving the other lanes as they are.
    /// </summary>
    public void SetLane(int lane, in FieldElement value)
    {
        Span<byte> bytes = stackalloc byte[40];
        try
        {
            bytes.Clear();
            value.ToBytes(bytes[..32]);
            for (var i = 0; i < Limbs; i++)
            {
                var position = Position(i);
                var word = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(position >> 3)..]);
                this[i] = this[i].WithElement(lane, (word >> (position & 7)) & ((1UL << Width(i)) - 1));
            }
        }
        finally
        {
            bytes.Clear();
        }
    }

    /// <summary>
    /// Lane <paramref name="lane"/> as a <see cref="FieldElement"/>: limb k of radix 2^51 is limb 2k plus limb
    /// 2k + 1 times 2^26 (below 3·2^26 + 3·2^51 &lt; 2^54 for any limbs a multiplication accepts).
    /// </summary>
    public readonly FieldElement GetLane(int lane)
    {
        Debug.Assert((uint)lane < 4, "lane out of range");
        return FieldElement.FromLimbs(Limb(this, lane, 0), Limb(this, lane, 1), Limb(this, lane, 2), Limb(this, lane, 3), Limb(this, lane, 4));

        static ulong Limb(in FieldElement4 a, int lane, int k) => a[2 * k].GetElement(lane) + (a[(2 * k) + 1].GetElement(lane) << 26);
    }

    /// <summary>Sets every limb of every lane directly (tests drive the bounds with it); 40 limbs, lane-major.</summary>
    public static FieldElement4 FromRawLimbs(ReadOnlySpan<ulong> laneMajor)
    {
        Guard.ExactLength(laneMajor.Length, 4 * Limbs, nameof(laneMajor));
        var r = default(FieldElement4);
        for (var i = 0; i < Limbs; i++)
        {
            r[i] = Vector256.Create(laneMajor[i], laneMajor[Limbs + i], laneMajor[(2 * Limbs) + i], laneMajor[(3 * Limbs) + i]);
        }

        return r;
    }

    /// <summary>a·b of the low 32 bits of each 64-bit lane (<c>vpmuludq</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> M(Vector256<ulong> a, Vector256<ulong> b) => Avx2.Multiply(a.AsUInt32(), b.AsUInt32());

    /// <summary>a·b with a fresh scratch buffer that is wiped afterwards (tests; the ladder reuses its own).</summary>
    public static FieldElement4 Mul(in FieldElement4 a, in FieldElement4 b)
    {
        var scratch = default(FieldElement4);
        var r = default(FieldElement4);
        Mul(a, b, ref scratch, ref r);
        scratch.Wipe();
        return r;
    }

    /// <summary>Overwrites every limb with zeros in a way the JIT cannot drop as a dead store.</summary>
    public void Wipe() => System.Security.Cryptography.CryptographicOperations.ZeroMemory(
        System.Runtime.InteropServices.MemoryMarshal.AsBytes((Span<Vector256<ulong>>)this));

    [Conditional("DEBUG")]
    private static void CheckMulInput(in FieldElement4 a)
    {
        var bound = Vector256.Create(MulInputBound);
        for (var i = 0; i < Limbs; i++)
        {
            Debug.Assert(Vector256.LessThanAll(a[i], bound), "multiplication input limb at or above 3·2^26");
        }
    }

    [Conditional("DEBUG")]
    private static void CheckCarried(in FieldElement4 a)
    {
        for (var i = 0; i < Limbs; i++)
        {
            var bound = Vector256.Create((i & 1) == 0 ? 1UL << 26 : (1UL << 25) + (1UL << 18));
            Debug.Assert(Vector256.LessThanAll(a[i], bound), "carried limb out of range");
        }
    }
}
