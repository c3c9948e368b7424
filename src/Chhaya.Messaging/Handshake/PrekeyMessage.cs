// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Handshake;

/// <summary>
/// PQXDH's initial message (Signal PQXDH §3.3): the initiator's identity key IK_A, ephemeral key EK_A, which
/// prekeys it used, the ML-KEM ciphertext CT, and the first Double Ratchet message, whose AEAD is keyed from SK.
/// The initiator sends every message in this form until it hears back, so any of them can start the session.
/// </summary>
/// <remarks>
/// Wire form: <c>u8 version=1 ‖ IK_A (32) ‖ EK_A (32) ‖ u32 SPK id ‖ u8 has-OPK ‖ [u32 OPK id] ‖ u8 KEM kind (3|4) ‖
/// u32 KEM prekey id ‖ CT (1568) ‖ u32 len ‖ ratchet message</c>.
/// </remarks>
public sealed record PrekeyMessage(
    byte[] InitiatorIdentityKey,
    byte[] BaseKey,
    uint SignedPrekeyId,
    uint? OneTimeEcPrekeyId,
    PrekeyKind KemPrekeyKind,
    uint KemPrekeyId,
    byte[] KemCiphertext,
    byte[] RatchetMessage)
{
    public const byte Version = 1;

    /// <summary>Fixed part before the ratchet message's length, at its largest.</summary>
    private const int MaxFixedLength = 1 + 32 + 32 + 4 + 1 + 4 + 1 + 4 + MlKem1024.CiphertextLength + 4;

    /// <summary>Input cap of the decoder.</summary>
    public const int MaxEncodedLength = MaxFixedLength + RatchetMessageCodec.MaxEncodedLength;

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var writer = new WireWriter(MaxFixedLength + RatchetMessage.Length);
        writer.Byte(Version).Fixed(InitiatorIdentityKey).Fixed(BaseKey).UInt32(SignedPrekeyId).Flag(OneTimeEcPrekeyId.HasValue);
        if (OneTimeEcPrekeyId is { } opk)
        {
            writer.UInt32(opk);
        }

        writer.Byte((byte)KemPrekeyKind).UInt32(KemPrekeyId).Fixed(KemCiphertext).Prefixed32(RatchetMessage);
        return writer.ToArray();
    }

    /// <summary>Decodes an initial message from untrusted bytes.</summary>
    /// <exception cref="MalformedInputException">Wrong version or KEM kind, truncated, over a bound, or trailing bytes.</exception>
    public static PrekeyMessage Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A prekey message is at most {MaxEncodedLength} bytes, not {encoded.Length}.");
        }

        var reader = new WireReader(encoded);
        var version = reader.ReadByte("prekey message version");
        if (version != Version)
        {
            throw new MalformedInputException($"Prekey message version {version} is not supported.");
        }

        var identity = reader.ReadFixed(Ed25519.PublicKeyLength, "initiator identity key").ToArray();
        var baseKey = reader.ReadFixed(X25519.KeyLength, "base key").ToArray();
        var spk = reader.ReadUInt32("signed prekey id");
        uint? opk = reader.ReadFlag("one-time prekey flag") ? reader.ReadUInt32("one-time prekey id") : null;
        var kind = (PrekeyKind)reader.ReadByte("KEM prekey kind");
        if (kind is not (PrekeyKind.LastResortKem or PrekeyKind.OneTimeKem))
        {
            throw new MalformedInputException($"KEM prekey kind {(byte)kind} is not a KEM prekey.");
        }

        var kemId = reader.ReadUInt32("KEM prekey id");
        var ciphertext = reader.ReadFixed(MlKem1024.CiphertextLength, "KEM ciphertext").ToArray();
        var message = reader.ReadPrefixed32(RatchetMessageCodec.MaxEncodedLength, "first ratchet message").ToArray();
        reader.EnsureEnd("The prekey message");
        return new PrekeyMessage(identity, baseKey, spk, opk, kind, kemId, ciphertext, message);
    }
}
