// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>
/// Validates and orders the records of one key namespace (kad-dht spec, "Entry validation"). Both methods must be
/// pure: the same inputs always give the same answer, on every node.
/// </summary>
public interface IRecordValidator
{
    /// <summary>Checks a record before it is stored (PUT_VALUE) or accepted from a lookup (GET_VALUE).</summary>
    /// <exception cref="InvalidRecordException">The record is not valid for <paramref name="key"/>.</exception>
    void Validate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>The index of the best of <paramref name="values"/> (each already valid for <paramref name="key"/>).</summary>
    /// <exception cref="InvalidRecordException"><paramref name="values"/> is empty.</exception>
#pragma warning disable CA1716 // The spec and go/js-libp2p call this operation Select; the name is kept on purpose.
    int Select(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values);
#pragma warning restore CA1716
}
