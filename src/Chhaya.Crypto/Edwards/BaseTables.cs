// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Crypto.Edwards;

/// <summary>
/// Precomputed multiples of the base point B in affine Niels form, built once at start-up from
/// <see cref="EdwardsPoint.Base"/> (a few milliseconds; no table is checked in, so none can be wrong).
/// </summary>
internal static class BaseTables
{
    /// <summary>Rows of the fixed-base comb: row i holds j·256^i·B for j = 1..8 (32 rows).</summary>
    public static readonly NielsPoint[] Comb = BuildComb();

    /// <summary>The odd multiples B, 3B, 5B, …, 127B for width-8 non-adjacent-form verification.</summary>
    public static readonly NielsPoint[] OddMultiples = BuildOddMultiples(64);

    /// <summary>The NAF width <see cref="OddMultiples"/> serves: digits up to ±127.</summary>
    public const int OddMultiplesWidth = 8;

    private static NielsPoint[] BuildComb()
    {
        var table = new NielsPoint[32 * 8];
        var power = EdwardsPoint.Base;
        for (var i = 0; i < 32; i++)
        {
            var multiple = power;
            var cached = NielsPoint.From(power);
            for (var j = 0; j < 8; j++)
            {
                table[(i * 8) + j] = NielsPoint.AffineFrom(multiple);
                multiple = multiple.AddNiels(cached).ToExtended();
            }

            for (var d = 0; d < 8; d++)
            {
                power = EdwardsPoint.Double(power);
            }
        }

        return table;
    }

    private static NielsPoint[] BuildOddMultiples(int count)
    {
        var table = new NielsPoint[count];
        var twice = NielsPoint.From(EdwardsPoint.Double(EdwardsPoint.Base));
        var current = EdwardsPoint.Base;
        for (var j = 0; j < count; j++)
        {
            table[j] = NielsPoint.AffineFrom(current);
            current = current.AddNiels(twice).ToExtended();
        }

        return table;
    }
}
