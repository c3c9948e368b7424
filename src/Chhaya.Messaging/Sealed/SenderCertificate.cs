// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Sealed;

/// <summary>
/// Who a sealed envelope is from: the sender's identity key, libp2p peer id and handle, an expiry, and the
/// identity key's signature over them. It travels only inside the envelope's encryption. With no server to sign it
/// (Signal's sealed sender has one), it is self-signed; what makes the handle and peer id trustworthy is the
/// key directory, which the recipient checks against the identity key (handshake resolver).
/// </summary>
/// <remarks>
/// Wire form: <c>u8 version=1 ‖ identity key (32) ‖ u8 len ‖ peer id (≤ 64) ‖ u8 len ‖ handle UTF-8 (≤ 64) ‖
/// i64 expires (Unix s) ‖ signature (64)</c>. The signature covers <c>u8 len(label) ‖ label ‖</c> everything before it.
/// </remarks>
public sealed record SenderCertificate(byte[] IdentityKey, byte[] PeerId, string Handle, long ExpiresUnixSeconds, byte[] Signature)
{
    public const byte Version = 1;
    public const int MaxPeerIdLength = 64;
    public const int MaxHandleLength = 64;

    /// <summary>Decoder input cap.</summary>
    public const int MaxEncodedLength = 1 + 32 + 1 + MaxPeerIdLength + 1 + MaxHandleLength + 8 + 64;

    /// <summary>Makes and signs a certificate for <paramref name="identity"/>.</summary>
    public static SenderCertificate Create(IdentityKeyPair identity, ReadOnlySpan<byte> peerId, string handle, long expiresUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(handle);
        Guard.MaxLength(peerId.Length, MaxPeerIdLength, nameof(peerId));
        Guard.MaxLength(Encoding.UTF8.GetByteCount(handle), MaxHandleLength, nameof(handle));
        var unsigned = new SenderCertificate(identity.PublicKey.ToArray(), peerId.ToArray(), handle, expiresUnixSeconds, []);
        return unsigned with { Signature = identity.Sign(unsigned.Statement()) };
    }

    /// <summary>True when the signature verifies (strict Ed25519) and <paramref name="nowUnixSeconds"/> is before the expiry.</summary>
    public bool Verify(long nowUnixSeconds) =>
        nowUnixSeconds < ExpiresUnixSeconds && Ed25519.Verify(IdentityKey, Statement(), Signature);

    public byte[] Encode()
    {
        var writer = new WireWriter(MaxEncodedLength);
        WriteBody(writer);
        writer.Fixed(Signature);
        return writer.ToArray();
    }

    /// <exception cref="MalformedInputException">Wrong version, over a bound, not UTF-8, truncated, or trailing bytes.</exception>
    public static SenderCertificate Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A sender certificate is at most {MaxEncodedLength} bytes, not {encoded.Length}.");
        }

        var reader = new WireReader(encoded);
        var version = reader.ReadByte("certificate version");
        if (version != Version)
        {
            throw new MalformedInputException($"Sender certificate version {version} is not supported.");
        }

        var identity = reader.ReadFixed(32, "certificate identity key").ToArray();
        var peerLength = reader.ReadByte("peer id length");
        if (peerLength > MaxPeerIdLength)
        {
            throw new MalformedInputException($"A peer id is at most {MaxPeerIdLength} bytes.");
        }

        var peerId = reader.ReadFixed(peerLength, "peer id").ToArray();
        var handleLength = reader.ReadByte("handle length");
        if (handleLength > MaxHandleLength)
        {
            throw new MalformedInputException($"A handle is at most {MaxHandleLength} bytes.");
        }

        string handle;
        try
        {
            handle = new UTF8Encoding(false, true).GetString(reader.ReadFixed(handleLength, "handle"));
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedInputException("The handle is not valid UTF-8.", e);
        }

        var expires = reader.ReadInt64("certificate expiry");
        var signature = reader.ReadFixed(64, "certificate signature").ToArray();
        reader.EnsureEnd("The sender certificate");
        return new SenderCertificate(identity, peerId, handle, expires, signature);
    }

    private byte[] Statement()
    {
        var writer = new WireWriter(MaxEncodedLength + 64);
        writer.Byte((byte)MessagingLabels.SenderCertificate.Length).Fixed(Encoding.ASCII.GetBytes(MessagingLabels.SenderCertificate));
        WriteBody(writer);
        return writer.ToArray();
    }

    private void WriteBody(WireWriter writer)
    {
        var handle = Encoding.UTF8.GetBytes(Handle);
        writer.Byte(Version).Fixed(IdentityKey).Byte((byte)PeerId.Length).Fixed(PeerId).Byte((byte)handle.Length).Fixed(handle).Int64(ExpiresUnixSeconds);
    }
}
