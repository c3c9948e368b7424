// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Chhaya.Bls.HashToCurve;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Inversion of possibly secret values by multiplicative blinding, so that the fast variable-time
/// algorithm only ever sees a uniformly random field element.
/// </summary>
internal readonly partial struct Fp
{
    /// <summary>
    /// a^-1 as s · (a·s)^-1 for a fresh uniformly random s ≠ 0. For a ≠ 0, a·s is uniform on the non-zero
    /// elements and independent of a, so the running time of <see cref="InvertVartime"/> on it says
    /// nothing about a; the two multiplications are constant time. The only fact about a that the timing
    /// can reveal is whether a is zero (0 maps to 0). Used to make affine coordinates of points that come
    /// out of a multiplication by a secret key (fresh signatures and public keys), where the Fermat
    /// inversion used to cost a full 381-bit exponentiation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Fp InvertBlinded(in Fp a)
    {
        var s = RandomNonZero();
        return Mul(s, InvertVartime(Mul(a, s)));
    }

    /// <summary>
    /// A uniformly random non-zero element: 64 bytes from the OS CSPRNG reduced modulo p (statistical
    /// distance from uniform below 2^-128), drawn again in the negligible case of zero.
    /// </summary>
    internal static Fp RandomNonZero()
    {
        Span<byte> bytes = stackalloc byte[64];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(bytes);
                var s = HashToField.Reduce(bytes);
                if (!s.IsZero)
                {
                    return s;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
