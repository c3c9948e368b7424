// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Msm;

/// <summary>
/// Multi-scalar multiplication Σ k_i·P_i by Pippenger's bucket method. Variable time: for public
/// scalars only (aggregation, random batch-verification coefficients).
/// </summary>
internal static class Pippenger
{
    /// <summary>Σ scalars[i]·points[i], each scalar given as <paramref name="limbsPerScalar"/> little-endian limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> Mul<T, TCurve>(ReadOnlySpan<Point<T, TCurve>> points, ReadOnlySpan<ulong> scalars, int limbsPerScalar)
        where T : unmanaged, IField<T>
        where TCurve : ICurve<T>
    {
        if (scalars.Length != points.Length * limbsPerScalar)
        {
            throw new ArgumentException("One scalar is needed per point.", nameof(scalars));
        }

        var n = points.Length;
        if (n == 0)
        {
            return Point<T, TCurve>.Identity;
        }

        var c = WindowBits(n);
        var bits = limbsPerScalar * 64;
        var windows = (bits + c - 1) / c;
        var buckets = new Point<T, TCurve>[(1 << c) - 1];
        var acc = Point<T, TCurve>.Identity;
        for (var w = windows - 1; w >= 0; w--)
        {
            for (var d = 0; d < c; d++)
            {
                acc = Point<T, TCurve>.Double(acc);
            }

            Array.Fill(buckets, Point<T, TCurve>.Identity);
            for (var i = 0; i < n; i++)
            {
                var digit = Digit(scalars.Slice(i * limbsPerScalar, limbsPerScalar), w * c, c);
                if (digit != 0)
                {
                    buckets[digit - 1] = Point<T, TCurve>.Add(buckets[digit - 1], points[i]);
                }
            }

            // Σ j·bucket[j] as a running sum of suffix sums.
            var running = Point<T, TCurve>.Identity;
            var sum = Point<T, TCurve>.Identity;
            for (var j = buckets.Length - 1; j >= 0; j--)
            {
                running = Point<T, TCurve>.Add(running, buckets[j]);
                sum = Point<T, TCurve>.Add(sum, running);
            }

            acc = Point<T, TCurve>.Add(acc, sum);
        }

        return acc;
    }

    /// <summary>Window width growing roughly with log2(n), the usual Pippenger trade-off.</summary>
    private static int WindowBits(int n) => n switch
    {
        < 4 => 2,
        < 32 => 3,
        < 128 => 5,
        < 1024 => 7,
        _ => 9,
    };

    private static int Digit(ReadOnlySpan<ulong> scalar, int start, int width)
    {
        var limb = start / 64;
        var shift = start % 64;
        if (limb >= scalar.Length)
        {
            return 0;
        }

        var value = scalar[limb] >> shift;
        if (shift + width > 64 && limb + 1 < scalar.Length)
        {
            value |= scalar[limb + 1] << (64 - shift);
        }

        return (int)(value & ((1UL << width) - 1));
    }
}
