// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>
/// The <c>/pk/</c> namespace of go-libp2p-record and js-libp2p: key = <c>/pk/</c> followed by a peer id's multihash
/// bytes, value = that peer's public key protobuf. Valid when the key hashes to the peer id; since the value is
/// fully determined by the key, every valid value is equally good.
/// </summary>
public sealed class PublicKeyRecordValidator : IRecordValidator
{
    public const string Namespace = "pk";

    private static ReadOnlySpan<byte> Prefix => "/pk/"u8;

    /// <summary>The record key for <paramref name="peer"/>'s public key.</summary>
    public static byte[] KeyFor(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return [.. Prefix, .. peer.Bytes];
    }

    public void Validate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!key.StartsWith(Prefix) || key.Length == Prefix.Length)
        {
            throw new InvalidRecordException("public key record key must be /pk/ followed by a peer id");
        }

        try
        {
            var peer = PeerId.FromBytes(key[Prefix.Length..]);
            if (!peer.Matches(PublicKey.Decode(value)))
            {
                throw new InvalidRecordException("public key does not match the peer id in the key");
            }
        }
        catch (MalformedInputException e)
        {
            throw new InvalidRecordException("public key record is malformed: " + e.Message, e);
        }
    }

    public int Select(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count > 0 ? 0 : throw new InvalidRecordException("no records to select from");
    }
}
