// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Wire;

namespace Chhaya.Messaging.Prekeys;

/// <summary>
/// One published prekey with its identity signature. Every prekey is signed, one-time X25519 prekeys included
/// (X3DH leaves those unsigned; signing them too means whoever serves a bundle cannot swap one in).
/// </summary>
/// <param name="Kind">What the key is.</param>
/// <param name="Id">The owner's id for the key; ids are never reused by one owner.</param>
/// <param name="CreatedUnixSeconds">When the owner made it (lets initiators refuse stale signed prekeys).</param>
/// <param name="PublicKey">32-byte X25519 public key or 1568-byte ML-KEM-1024 encapsulation key.</param>
/// <param name="Signature">Ed25519 signature by the identity key over <see cref="Statement"/>.</param>
public sealed record SignedPrekey(PrekeyKind Kind, uint Id, long CreatedUnixSeconds, byte[] PublicKey, byte[] Signature)
{
    /// <summary>
    /// The signed statement: <c>u8(len(label)) ‖ label ‖ u8 kind ‖ u32 id ‖ i64 created ‖ identity key (32) ‖ public key</c>,
    /// big-endian. The owner's identity key is inside, so a signature cannot be moved to another owner's bundle.
    /// </summary>
    public static byte[] Statement(PrekeyKind kind, uint id, long created, ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> publicKey)
    {
        var writer = new WireWriter(64 + publicKey.Length);
        writer.Byte((byte)MessagingLabels.PrekeySignature.Length)
            .Fixed(System.Text.Encoding.ASCII.GetBytes(MessagingLabels.PrekeySignature))
            .Byte((byte)kind).UInt32(id).Int64(created).Fixed(identityKey).Fixed(publicKey);
        return writer.ToArray();
    }

    /// <summary>Makes and signs a prekey entry.</summary>
    public static SignedPrekey Create(IdentityKeyPair identity, PrekeyKind kind, uint id, long created, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var signature = identity.Sign(Statement(kind, id, created, identity.PublicKey, publicKey));
        return new SignedPrekey(kind, id, created, publicKey.ToArray(), signature);
    }

    /// <summary>Strict Ed25519 verification of the signature under <paramref name="identityKey"/>, and for ML-KEM keys the FIPS 203 modulus check.</summary>
    public bool Verify(ReadOnlySpan<byte> identityKey)
    {
        if (PublicKey.Length != PrekeyKinds.PublicKeyLength(Kind))
        {
            return false;
        }

        if (!Ed25519.Verify(identityKey, Statement(Kind, Id, CreatedUnixSeconds, identityKey, PublicKey), Signature))
        {
            return false;
        }

        return !PrekeyKinds.IsKem(Kind) || MlKem1024.IsValidEncapsulationKey(PublicKey);
    }

    internal void WriteTo(WireWriter writer) =>
        writer.UInt32(Id).Int64(CreatedUnixSeconds).Fixed(PublicKey).Fixed(Signature);

    internal static SignedPrekey ReadFrom(ref WireReader reader, PrekeyKind kind)
    {
        var id = reader.ReadUInt32("prekey id");
        var created = reader.ReadInt64("prekey creation time");
        var key = reader.ReadFixed(PrekeyKinds.PublicKeyLength(kind), "prekey public key").ToArray();
        var signature = reader.ReadFixed(Ed25519.SignatureLength, "prekey signature").ToArray();
        return new SignedPrekey(kind, id, created, key, signature);
    }
}
