// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.Integrations;

/// <summary>
/// The value a messaging user publishes under their handle in the key directory: who they are (Ed25519
/// identity key) and where to reach them (libp2p peer id).
/// <code>
/// binding = u8 version=1 ‖ identity_key[32] ‖ u8 peer_id_len (1..44) ‖ peer_id (multihash bytes)
/// </code>
/// One encoding per binding: trailing bytes, other versions and peer ids that are not valid multihashes are refused.
/// </summary>
public sealed class BindingRecord
{
    public const byte Version = 1;

    /// <summary>Longest encoding: the header, the key and the longest peer id.</summary>
    public const int MaxEncodedLength = 1 + Ed25519.PublicKeyLength + 1 + PeerId.MaxLength;

    private readonly byte[] _identityKey;

    public BindingRecord(ReadOnlySpan<byte> identityKey, PeerId peerId)
    {
        if (identityKey.Length != Ed25519.PublicKeyLength)
        {
            throw new ArgumentException($"An identity key is {Ed25519.PublicKeyLength} bytes, not {identityKey.Length}.", nameof(identityKey));
        }

        _identityKey = identityKey.ToArray();
        PeerId = peerId ?? throw new ArgumentNullException(nameof(peerId));
    }

    /// <summary>The user's Ed25519 identity public key.</summary>
    public ReadOnlySpan<byte> IdentityKey => _identityKey;

    /// <summary>The libp2p peer the user's node runs as.</summary>
    public PeerId PeerId { get; }

    /// <summary>True when both bindings name the same identity key (compared in constant time).</summary>
    public bool SameIdentityAs(BindingRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ConstantTime.Equals(_identityKey, other._identityKey);
    }

    public byte[] Encode()
    {
        var peer = PeerId.Bytes;
        var bytes = new byte[1 + Ed25519.PublicKeyLength + 1 + peer.Length];
        bytes[0] = Version;
        _identityKey.CopyTo(bytes.AsSpan(1));
        bytes[1 + Ed25519.PublicKeyLength] = (byte)peer.Length;
        peer.CopyTo(bytes.AsSpan(2 + Ed25519.PublicKeyLength));
        return bytes;
    }

    /// <exception cref="MalformedInputException">Not exactly one version-1 binding.</exception>
    public static BindingRecord Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 3 + Ed25519.PublicKeyLength || encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A binding record is {3 + Ed25519.PublicKeyLength} to {MaxEncodedLength} bytes, not {encoded.Length}.");
        }

        if (encoded[0] != Version)
        {
            throw new MalformedInputException($"Unsupported binding record version {encoded[0]}.");
        }

        int peerLength = encoded[1 + Ed25519.PublicKeyLength];
        if (peerLength == 0 || peerLength != encoded.Length - 2 - Ed25519.PublicKeyLength)
        {
            throw new MalformedInputException($"The binding's peer id length {peerLength} does not match the record.");
        }

        return new BindingRecord(encoded.Slice(1, Ed25519.PublicKeyLength), PeerId.FromBytes(encoded[(2 + Ed25519.PublicKeyLength)..]));
    }
}
