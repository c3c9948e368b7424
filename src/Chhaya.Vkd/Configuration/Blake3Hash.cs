// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Configuration;

/// <summary>BLAKE3-256 over the concatenation of up to three parts, without building the concatenation.</summary>
internal static class Blake3Hash
{
    public static Digest Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b = default, ReadOnlySpan<byte> c = default)
    {
        Span<byte> output = stackalloc byte[Digest.Length];
        // Blake3.Hasher is a mutable struct: keep it in an ordinary local (a using-declared local would
        // be read-only and every Update would act on a defensive copy).
        var hasher = Blake3.Hasher.New();
        try
        {
            hasher.Update(a);
            if (!b.IsEmpty)
            {
                hasher.Update(b);
            }

            if (!c.IsEmpty)
            {
                hasher.Update(c);
            }

            hasher.Finalize(output);
        }
        finally
        {
            hasher.Dispose();
        }

        return new Digest(output);
    }
}
