// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.Intrinsics.X86;

namespace Chhaya.Crypto.Tests;

/// <summary>A fact that runs only where the processor has AVX2 (the four-way code throws elsewhere).</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!Avx2.IsSupported)
        {
            Skip = "the processor has no AVX2";
        }
    }
}
