// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Noise;

/// <summary>
/// The libp2p Noise handshake (libp2p specs <c>noise/README.md</c>): XX with an empty prologue, a fresh static
/// X25519 key per connection, and a <see cref="NoiseHandshakePayload"/> in messages 2 (responder) and 3
/// (initiator). Each side proves that its libp2p identity key owns the Noise static key by signing
/// <c>"noise-libp2p-static-key:" || static public key</c>. The stream-muxer extension lets both sides agree on
/// a muxer without a further multistream round trip ("early muxer negotiation"): the initiator's first choice
/// that the responder also lists.
/// </summary>
internal static class NoiseUpgrader
{
    public const string ProtocolId = "/noise";
    private static readonly byte[] SignaturePrefix = "noise-libp2p-static-key:"u8.ToArray();

    public static async Task<NoiseHandshakeResult> HandshakeAsync(
        Stream stream,
        bool initiator,
        Ed25519Identity identity,
        PeerId? expectedRemote,
        IReadOnlyList<string> muxers,
        Action<long>? onBytesRead,
        Action<long>? onBytesWritten,
        CancellationToken cancellationToken)
    {
        using var staticKeys = X25519Keys.Generate();
        var signed = new byte[SignaturePrefix.Length + X25519Keys.Size];
        SignaturePrefix.CopyTo(signed, 0);
        staticKeys.PublicKey.CopyTo(signed, SignaturePrefix.Length);
        var ourPayload = new NoiseHandshakePayload(identity.PublicKey.Encoded.ToArray(), identity.Sign(signed), muxers).Encode();

        using var hs = new NoiseXXHandshake(initiator, staticKeys, ReadOnlySpan<byte>.Empty);
        var buffer = new byte[NoiseFrame.MaxMessage];
        var payload = new byte[NoiseFrame.MaxMessage];
        NoiseHandshakePayload remote;
        if (initiator)
        {
            await WriteMessageAsync(stream, hs, [], buffer, cancellationToken).ConfigureAwait(false);
            var n = await ReadMessageAsync(stream, hs, buffer, payload, cancellationToken).ConfigureAwait(false);
            remote = NoiseHandshakePayload.Decode(payload.AsSpan(0, n));
            await WriteMessageAsync(stream, hs, ourPayload, buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Message 1 carries no payload in libp2p; whatever is there is ignored but still authenticated by h.
            await ReadMessageAsync(stream, hs, buffer, payload, cancellationToken).ConfigureAwait(false);
            await WriteMessageAsync(stream, hs, ourPayload, buffer, cancellationToken).ConfigureAwait(false);
            var n = await ReadMessageAsync(stream, hs, buffer, payload, cancellationToken).ConfigureAwait(false);
            remote = NoiseHandshakePayload.Decode(payload.AsSpan(0, n));
        }

        var remoteKey = PublicKey.Decode(remote.IdentityKey);
        var remoteSigned = new byte[SignaturePrefix.Length + X25519Keys.Size];
        SignaturePrefix.CopyTo(remoteSigned, 0);
        hs.RemoteStatic.CopyTo(remoteSigned.AsSpan(SignaturePrefix.Length));
        if (!remoteKey.Verify(remoteSigned, remote.IdentitySignature))
        {
            throw new NoiseHandshakeException("peer's identity signature over its Noise static key does not verify");
        }

        var remotePeer = PeerId.FromPublicKey(remoteKey);
        if (expectedRemote is not null && !expectedRemote.Equals(remotePeer))
        {
            throw new NoiseHandshakeException($"dialed {expectedRemote} but the peer proved it is {remotePeer}");
        }

        var (send, receive) = hs.Split();
        var initiatorList = initiator ? muxers : remote.StreamMuxers;
        var responderList = initiator ? remote.StreamMuxers : muxers;
        var early = initiatorList.FirstOrDefault(m => responderList.Contains(m, StringComparer.Ordinal));
        return new NoiseHandshakeResult(new NoiseSecureStream(stream, send, receive, onBytesRead, onBytesWritten), remotePeer, remoteKey, early);
    }

    private static async Task WriteMessageAsync(Stream stream, NoiseXXHandshake hs, byte[] payload, byte[] buffer, CancellationToken cancellationToken)
    {
        var n = hs.WriteMessage(payload, buffer.AsSpan(NoiseFrame.HeaderSize));
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)n);
        await stream.WriteAsync(buffer.AsMemory(0, NoiseFrame.HeaderSize + n), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadMessageAsync(Stream stream, NoiseXXHandshake hs, byte[] buffer, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, NoiseFrame.HeaderSize), cancellationToken).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return hs.ReadMessage(buffer.AsSpan(0, length), payload);
        }
        catch (EndOfStreamException e)
        {
            throw new MalformedInputException("connection ended during the Noise handshake", e);
        }
    }
}
