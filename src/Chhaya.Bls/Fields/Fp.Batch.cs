// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>Batch inversion of public values (Montgomery's trick), for affine conversions of many points.</summary>
internal readonly partial struct Fp
{
    /// <summary>Elements per shared inversion: the scratch stays on the stack (64 · 56 bytes).</summary>
    internal const int BatchChunk = 64;

    /// <summary>
    /// Replaces every element by its inverse, zeros staying zero, with one <see cref="InvertVartime"/> per
    /// <see cref="BatchChunk"/> elements and three multiplications per element (Montgomery's trick: invert the
    /// product of all, then peel each inverse off with the prefix products). A zero is left out of the product,
    /// so it does not turn the others into zeros. Elements may be unreduced below 4p (what <see cref="Mul"/>
    /// accepts); the results are reduced. Variable time: public values only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InvertVartimeBatch(Span<Fp> values)
    {
        Span<Fp> prefix = stackalloc Fp[BatchChunk];
        for (var start = 0; start < values.Length; start += BatchChunk)
        {
            var chunk = values[start..Math.Min(values.Length, start + BatchChunk)];
            InvertChunk(chunk, prefix[..chunk.Length]);
        }
    }

    /// <summary>
    /// Montgomery's trick on one chunk. prefix[i] is the product of the non-zero values before i, never zero
    /// (a product of non-zero elements of a field); an element whose product with it is zero is itself zero
    /// (reduced or an unreduced multiple of p), and is marked by a zero prefix so the backward pass skips it.
    /// </summary>
    private static void InvertChunk(Span<Fp> values, Span<Fp> prefix)
    {
        var acc = One;
        for (var i = 0; i < values.Length; i++)
        {
            var next = Mul(acc, values[i]);
            if (next.IsZero)
            {
                prefix[i] = Zero;
            }
            else
            {
                prefix[i] = acc;
                acc = next;
            }
        }

        // acc is the product of the non-zero values: inverting it inverts all of them at once.
        var inv = InvertVartime(acc);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            if (prefix[i].IsZero)
            {
                values[i] = Zero;
                continue;
            }

            // inv = (prefix[i] · values[i])^-1, so prefix[i] · inv = values[i]^-1 and inv · values[i] = prefix[i]^-1.
            var inverse = Mul(prefix[i], inv);
            inv = Mul(inv, values[i]);
            values[i] = inverse;
        }
    }
}
