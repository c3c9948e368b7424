// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Chhaya.Safety;

/// <summary>
/// Argument and length checks that run before any allocation, with messages that say what was expected.
/// </summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void ExactLength(int actual, int expected, [CallerArgumentExpression(nameof(actual))] string? name = null)
    {
        if (actual != expected)
        {
            ThrowLength(name, $"must be exactly {expected} bytes long, but is {actual}");
        }
    }

    /// <summary>Throws when <paramref name="actual"/> is larger than <paramref name="maximum"/>.</summary>
    /// <exception cref="ArgumentException">The length is over the limit.</exception>
    public static void MaxLength(int actual, int maximum, [CallerArgumentExpression(nameof(actual))] string? name = null)
    {
        if ((uint)actual > (uint)maximum)
        {
            ThrowLength(name, $"must be at most {maximum} bytes long, but is {actual}");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of range.</exception>
    public static void InRange(long value, long minimum, long maximum, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < minimum || value > maximum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"must lie between {minimum} and {maximum}");
        }
    }

    /// <summary>Throws unless the two lengths match.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void SameLength(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string? name = null)
    {
        if (expected != actual)
        {
            ThrowLength(name, $"must be {expected} long to match, but is {actual}");
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(string? name, string message) => throw new ArgumentException($"{name ?? "value"} {message}.", name);
}
