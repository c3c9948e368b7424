// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Pairing;

/// <summary>
/// The Miller-loop product of many pairs spread over the machine's cores: each worker takes pairs from a
/// shared counter (building each pair may be expensive, such as hashing a message to G2), runs one
/// multi-pairing Miller loop over the pairs it took, and the partial results are multiplied together.
/// The caller applies the one final exponentiation.
/// </summary>
/// <remarks>
/// Only for public inputs, like every pairing here. The product does not depend on how the pairs were
/// split, since the Miller loop of a set of pairs is the product of the loops of its parts. blst's own
/// aggregate verification works the same way (one worker per core, pairs taken from a shared counter).
/// </remarks>
internal static class ParallelMillerProduct
{
    /// <summary>Below two pairs per worker the hand-off to another thread costs more than it saves.</summary>
    private const int MinPairsPerWorker = 2;

    /// <summary>∏ Miller(pairAt(i)) over i in [0, count), on up to <paramref name="maxWorkers"/> threads.</summary>
    /// <param name="count">How many pairs.</param>
    /// <param name="pairAt">Builds pair i; called exactly once per index, from any thread.</param>
    /// <param name="maxWorkers">The most threads to use; 1 runs everything on the calling thread.</param>
    public static Fp12 Compute(int count, Func<int, (G1Projective P, G2Projective Q)> pairAt, int maxWorkers)
    {
        ArgumentNullException.ThrowIfNull(pairAt);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWorkers, 1);
        var workers = Math.Min(maxWorkers, count / MinPairsPerWorker);
        if (workers <= 1)
        {
            return Worker(count, pairAt, new StrongBox<int>(0));
        }

        var next = new StrongBox<int>(0);
        var partial = new Fp12[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w => partial[w] = Worker(count, pairAt, next));
        var product = partial[0];
        for (var w = 1; w < workers; w++)
        {
            product *= partial[w];
        }

        return product;
    }

    /// <summary>Takes pairs from the shared counter until none are left, then runs one Miller loop over them.</summary>
    private static Fp12 Worker(int count, Func<int, (G1Projective P, G2Projective Q)> pairAt, StrongBox<int> next)
    {
        var ps = new List<G1Projective>();
        var qs = new List<G2Projective>();
        while (true)
        {
            var i = Interlocked.Increment(ref next.Value) - 1;
            if (i >= count)
            {
                break;
            }

            var (p, q) = pairAt(i);
            ps.Add(p);
            qs.Add(q);
        }

        return Pairings.MultiMillerLoop(CollectionsMarshal.AsSpan(ps), CollectionsMarshal.AsSpan(qs));
    }
}
