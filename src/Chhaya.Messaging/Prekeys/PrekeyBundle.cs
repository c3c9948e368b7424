// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Prekeys;

/// <summary>
/// What a user publishes so others can start a session while it is offline (Signal's PQXDH §3.2): the
/// identity key, the signed X25519 prekey, the signed ML-KEM-1024 last-resort prekey, and a bounded list of
/// one-time X25519 and one-time ML-KEM-1024 prekeys, every one signed by the identity key.
/// </summary>
/// <remarks>
/// Wire form (big-endian, see docs/messaging.md): <c>u8 version=1 ‖ identity key (32) ‖ SPK ‖ last-resort KEM ‖
/// u8 n ‖ n × one-time EC ‖ u8 m ‖ m × one-time KEM</c>, each prekey <c>u32 id ‖ i64 created ‖ key ‖ sig (64)</c>.
/// One-time ids in each list are strictly increasing, so there is one encoding per bundle and no duplicates.
/// </remarks>
public sealed class PrekeyBundle
{
    /// <summary>The only bundle version this code reads and writes.</summary>
    public const byte Version = 1;

    /// <summary>Most one-time prekeys of each kind in one bundle.</summary>
    public const int MaxOneTimePrekeys = 16;

    /// <summary>Longest possible encoding (all lists full): the decoder's input cap.</summary>
    public static readonly int MaxEncodedLength =
        1 + Ed25519.PublicKeyLength
        + EntryLength(PrekeyKind.SignedEc) + EntryLength(PrekeyKind.LastResortKem)
        + 1 + (MaxOneTimePrekeys * EntryLength(PrekeyKind.OneTimeEc))
        + 1 + (MaxOneTimePrekeys * EntryLength(PrekeyKind.OneTimeKem));

    public PrekeyBundle(
        byte[] identityKey, SignedPrekey signedPrekey, SignedPrekey lastResortKemPrekey,
        IReadOnlyList<SignedPrekey> oneTimeEcPrekeys, IReadOnlyList<SignedPrekey> oneTimeKemPrekeys)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(signedPrekey);
        ArgumentNullException.ThrowIfNull(lastResortKemPrekey);
        ArgumentNullException.ThrowIfNull(oneTimeEcPrekeys);
        ArgumentNullException.ThrowIfNull(oneTimeKemPrekeys);
        Guard.ExactLength(identityKey.Length, Ed25519.PublicKeyLength, nameof(identityKey));
        CheckKind(signedPrekey, PrekeyKind.SignedEc);
        CheckKind(lastResortKemPrekey, PrekeyKind.LastResortKem);
        CheckList(oneTimeEcPrekeys, PrekeyKind.OneTimeEc);
        CheckList(oneTimeKemPrekeys, PrekeyKind.OneTimeKem);
        IdentityKey = identityKey;
        SignedPrekey = signedPrekey;
        LastResortKemPrekey = lastResortKemPrekey;
        OneTimeEcPrekeys = oneTimeEcPrekeys;
        OneTimeKemPrekeys = oneTimeKemPrekeys;
    }

    /// <summary>The owner's Ed25519 identity key.</summary>
    public byte[] IdentityKey { get; }

    /// <summary>The signed X25519 prekey (SPK).</summary>
    public SignedPrekey SignedPrekey { get; }

    /// <summary>The signed ML-KEM-1024 last-resort prekey.</summary>
    public SignedPrekey LastResortKemPrekey { get; }

    /// <summary>One-time X25519 prekeys, ids strictly increasing.</summary>
    public IReadOnlyList<SignedPrekey> OneTimeEcPrekeys { get; }

    /// <summary>One-time ML-KEM-1024 prekeys, ids strictly increasing.</summary>
    public IReadOnlyList<SignedPrekey> OneTimeKemPrekeys { get; }

    /// <summary>
    /// True when every prekey's signature verifies under <see cref="IdentityKey"/> (strict Ed25519) and every
    /// ML-KEM key passes the FIPS 203 modulus check. An initiator must not use a bundle that fails.
    /// </summary>
    public bool Verify()
    {
        if (!SignedPrekey.Verify(IdentityKey) || !LastResortKemPrekey.Verify(IdentityKey))
        {
            return false;
        }

        foreach (var prekey in OneTimeEcPrekeys)
        {
            if (!prekey.Verify(IdentityKey))
            {
                return false;
            }
        }

        foreach (var prekey in OneTimeKemPrekeys)
        {
            if (!prekey.Verify(IdentityKey))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var writer = new WireWriter(4096);
        writer.Byte(Version).Fixed(IdentityKey);
        SignedPrekey.WriteTo(writer);
        LastResortKemPrekey.WriteTo(writer);
        writer.Byte((byte)OneTimeEcPrekeys.Count);
        foreach (var prekey in OneTimeEcPrekeys)
        {
            prekey.WriteTo(writer);
        }

        writer.Byte((byte)OneTimeKemPrekeys.Count);
        foreach (var prekey in OneTimeKemPrekeys)
        {
            prekey.WriteTo(writer);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Decodes a bundle from untrusted bytes. Decoding checks the form only; call <see cref="Verify"/> before use.
    /// </summary>
    /// <exception cref="MalformedInputException">Wrong version, truncated, over a bound, unordered ids or trailing bytes.</exception>
    public static PrekeyBundle Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A prekey bundle is at most {MaxEncodedLength} bytes, not {encoded.Length}.");
        }

        var reader = new WireReader(encoded);
        var version = reader.ReadByte("bundle version");
        if (version != Version)
        {
            throw new MalformedInputException($"Prekey bundle version {version} is not supported (expected {Version}).");
        }

        var identity = reader.ReadFixed(Ed25519.PublicKeyLength, "identity key").ToArray();
        var signed = SignedPrekey.ReadFrom(ref reader, PrekeyKind.SignedEc);
        var lastResort = SignedPrekey.ReadFrom(ref reader, PrekeyKind.LastResortKem);
        var ec = ReadList(ref reader, PrekeyKind.OneTimeEc);
        var kem = ReadList(ref reader, PrekeyKind.OneTimeKem);
        reader.EnsureEnd("The prekey bundle");
        return new PrekeyBundle(identity, signed, lastResort, ec, kem);
    }

    private static SignedPrekey[] ReadList(ref WireReader reader, PrekeyKind kind)
    {
        var count = reader.ReadByte("one-time prekey count");
        if (count > MaxOneTimePrekeys)
        {
            throw new MalformedInputException($"A bundle holds at most {MaxOneTimePrekeys} one-time prekeys of a kind, not {count}.");
        }

        var list = new SignedPrekey[count];
        for (var i = 0; i < count; i++)
        {
            list[i] = SignedPrekey.ReadFrom(ref reader, kind);
            if (i > 0 && list[i].Id <= list[i - 1].Id)
            {
                throw new MalformedInputException("One-time prekey ids must be strictly increasing.");
            }
        }

        return list;
    }

    private static int EntryLength(PrekeyKind kind) => 4 + 8 + PrekeyKinds.PublicKeyLength(kind) + Ed25519.SignatureLength;

    private static void CheckKind(SignedPrekey prekey, PrekeyKind kind)
    {
        if (prekey.Kind != kind || prekey.PublicKey.Length != PrekeyKinds.PublicKeyLength(kind) || prekey.Signature.Length != Ed25519.SignatureLength)
        {
            throw new ArgumentException($"Expected a well-formed {kind} prekey.", nameof(prekey));
        }
    }

    private static void CheckList(IReadOnlyList<SignedPrekey> list, PrekeyKind kind)
    {
        if (list.Count > MaxOneTimePrekeys)
        {
            throw new ArgumentException($"At most {MaxOneTimePrekeys} one-time prekeys of a kind fit in a bundle.", nameof(list));
        }

        for (var i = 0; i < list.Count; i++)
        {
            CheckKind(list[i], kind);
            if (i > 0 && list[i].Id <= list[i - 1].Id)
            {
                throw new ArgumentException("One-time prekey ids must be strictly increasing.", nameof(list));
            }
        }
    }
}
