// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Handshake;

/// <summary>The outcome both sides of PQXDH agree on: SK, AD and the session id.</summary>
public sealed class PqxdhKeys : IDisposable
{
    internal PqxdhKeys(SecretBytes sharedKey, byte[] associatedData, string sessionId)
    {
        SharedKey = sharedKey;
        AssociatedData = associatedData;
        SessionId = sessionId;
    }

    /// <summary>SK: the 32-byte shared secret, the Double Ratchet's first root key.</summary>
    public SecretBytes SharedKey { get; }

    /// <summary>AD = IK_A ‖ IK_B (the two Ed25519 identity keys, initiator first).</summary>
    public byte[] AssociatedData { get; }

    /// <summary>Hex of TaggedSha256("chhaya/v1/msg/session-id", AD ‖ EK_A): the same on both sides, unique per handshake.</summary>
    public string SessionId { get; }

    public void Dispose() => SharedKey.Dispose();

    /// <summary>
    /// PQXDH §2.2's KDF: HKDF-SHA-256 with salt = 32 zero bytes, IKM = F ‖ KM where F = 32 bytes of 0xFF (X25519's
    /// domain-separation prefix, so no input can collide with an XEdDSA-style signing input), info = the ASCII
    /// string <see cref="MessagingLabels.PqxdhInfo"/>, 32 bytes out.
    /// </summary>
    internal static PqxdhKeys Derive(ReadOnlySpan<byte> keyMaterial, ReadOnlySpan<byte> initiatorIdentity, ReadOnlySpan<byte> responderIdentity, ReadOnlySpan<byte> baseKey)
    {
        var ikmLength = 32 + keyMaterial.Length;
        var ikm = SecretBytes.Allocate(ikmLength);
        try
        {
            ikm.Span[..32].Fill(0xFF);
            keyMaterial.CopyTo(ikm.Span[32..]);
            Span<byte> salt = stackalloc byte[Hashing.Sha256Length];
            salt.Clear();
            var sk = SecretBytes.Allocate(32);
            Kdf.DeriveKey(ikm.ReadOnlySpan, salt, Encoding.ASCII.GetBytes(MessagingLabels.PqxdhInfo), sk.Span);

            var ad = new byte[64];
            initiatorIdentity.CopyTo(ad);
            responderIdentity.CopyTo(ad.AsSpan(32));
            var transcript = new byte[96];
            ad.CopyTo(transcript, 0);
            baseKey.CopyTo(transcript.AsSpan(64));
            Span<byte> id = stackalloc byte[32];
            Hashing.TaggedSha256(MessagingLabels.SessionId, transcript, id);
            return new PqxdhKeys(sk, ad, Convert.ToHexStringLower(id));
        }
        finally
        {
            ikm.Dispose();
        }
    }

    /// <summary>Runs X25519, turning a low-order peer key into a <see cref="HandshakeException"/>.</summary>
    internal static void Dh(SecretBytes privateKey, ReadOnlySpan<byte> peer, Span<byte> destination, string which)
    {
        if (!X25519.TryAgree(privateKey, peer, destination))
        {
            CryptographicOperations.ZeroMemory(destination);
            throw new HandshakeException($"PQXDH {which}: the peer's X25519 key has low order (all-zero shared secret).");
        }
    }
}
