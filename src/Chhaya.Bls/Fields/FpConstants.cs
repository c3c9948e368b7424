// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Bls.Fields;

/// <summary>Fixed public exponents derived from p, as little-endian 64-bit limbs.</summary>
internal static class FpConstants
{
    /// <summary>p - 2: Fermat inversion.</summary>
    internal static ReadOnlySpan<ulong> PMinus2 => [0xb9feffffffffaaa9, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624, 0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a];

    /// <summary>(p + 1) / 4: square roots, since p ≡ 3 (mod 4).</summary>
    internal static ReadOnlySpan<ulong> PPlus1Over4 => [0xee7fbfffffffeaab, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89, 0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6];

    /// <summary>(p - 3) / 4: inverse square roots.</summary>
    internal static ReadOnlySpan<ulong> PMinus3Over4 => [0xee7fbfffffffeaaa, 0x07aaffffac54ffff, 0xd9cc34a83dac3d89, 0xd91dd2e13ce144af, 0x92c6e9ed90d2eb35, 0x0680447a8e5ff9a6];

    /// <summary>(p - 1) / 2: Euler's criterion and the lexicographic sign.</summary>
    internal static ReadOnlySpan<ulong> PMinus1Over2 => [0xdcff7fffffffd555, 0x0f55ffff58a9ffff, 0xb39869507b587b12, 0xb23ba5c279c2895f, 0x258dd3db21a5d66b, 0x0d0088f51cbff34d];
}
