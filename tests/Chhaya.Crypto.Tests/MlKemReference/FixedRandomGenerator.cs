// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Org.BouncyCastle.Crypto.Prng;

namespace Chhaya.Crypto.Tests.MlKemReference;

/// <summary>
/// A "random" source that hands out one fixed byte string, for known-answer tests of randomized
/// BouncyCastle operations. It refuses to be read past its content, so it can never silently repeat.
/// </summary>
internal sealed class FixedRandomGenerator(byte[] content) : IRandomGenerator
{
    private int _position;

    public void AddSeedMaterial(byte[] seed)
    {
    }

    public void AddSeedMaterial(ReadOnlySpan<byte> seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => NextBytes(bytes.AsSpan());

    public void NextBytes(byte[] bytes, int start, int len) => NextBytes(bytes.AsSpan(start, len));

    public void NextBytes(Span<byte> bytes)
    {
        if (bytes.Length > content.Length - _position)
        {
            throw new InvalidOperationException("The fixed randomness is exhausted.");
        }

        Guard.MaxLength(bytes.Length, content.Length, nameof(bytes));
        content.AsSpan(_position, bytes.Length).CopyTo(bytes);
        _position += bytes.Length;
    }
}
