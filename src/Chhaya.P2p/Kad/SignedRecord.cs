// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;

using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>
/// A Chhaya signed DHT record: opaque payload bytes published by the owner of an Ed25519 peer id, with a sequence
/// number so a newer record replaces an older one. The messaging layer stores prekey bundles this way.
/// <para>Key (ASCII): <c>/chhaya/NAME/PEERID</c>, NAME 1-64 characters of <c>a-z 0-9 . _ -</c>, PEERID base58btc of an
/// Ed25519 (identity-multihash) peer id.</para>
/// <para>Value: <c>version (1 byte, 0x01) || seq (u64 BE) || payload length n (u32 BE) || payload (n) || signature (64)</c>.</para>
/// <para>Signature: Ed25519 by the key inside PEERID over <c>"chhaya/dht-record/v1" || 0x00 || u16 BE key length ||
/// key || seq (u64 BE) || n (u32 BE) || payload</c>. The domain prefix keeps the signature from being reusable as
/// any other Chhaya or libp2p signature; binding the key stops a record from being replayed under another name.</para>
/// </summary>
public sealed record SignedRecord(string Name, PeerId Owner, ulong Sequence, byte[] Payload)
{
    public const string Namespace = "chhaya";
    public const byte Version = 1;
    public const int MaxNameLength = 64;

    /// <summary>Largest payload (a prekey bundle with ML-KEM-1024 prekeys fits comfortably).</summary>
    public const int MaxPayloadLength = 60 * 1024;

    public const int SignatureLength = 64;
    public const int HeaderLength = 1 + 8 + 4;

    private static ReadOnlySpan<byte> Domain => "chhaya/dht-record/v1\0"u8;

    /// <summary>The record key <c>/chhaya/NAME/PEERID</c>.</summary>
    public byte[] Key => KeyFor(Name, Owner);

    public static byte[] KeyFor(string name, PeerId owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!IsValidName(name))
        {
            throw new ArgumentException("a record name is 1 to 64 characters of a-z 0-9 . _ -", nameof(name));
        }

        return System.Text.Encoding.ASCII.GetBytes($"/{Namespace}/{name}/{owner}");
    }

    /// <summary>Signs <paramref name="payload"/> as record NAME of <paramref name="identity"/> at <paramref name="sequence"/>; returns (key, value).</summary>
    public static (byte[] Key, byte[] Value) Create(Ed25519Identity identity, string name, ulong sequence, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Guard.MaxLength(payload.Length, MaxPayloadLength);
        var key = KeyFor(name, identity.PeerId);
        var value = new byte[HeaderLength + payload.Length + SignatureLength];
        value[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(1), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(9), (uint)payload.Length);
        payload.CopyTo(value.AsSpan(HeaderLength));
        var signature = identity.Sign(SignedMessage(key, sequence, payload));
        signature.CopyTo(value.AsSpan(HeaderLength + payload.Length));
        return (key, value);
    }

    /// <summary>Parses and verifies a record.</summary>
    /// <exception cref="InvalidRecordException">Malformed key or value, or the signature does not verify.</exception>
    public static SignedRecord Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var (name, owner) = ParseKey(key);
        if (value.Length < HeaderLength + SignatureLength || value[0] != Version)
        {
            throw new InvalidRecordException("signed record value is too short or of an unknown version");
        }

        var sequence = BinaryPrimitives.ReadUInt64BigEndian(value[1..]);
        var n = BinaryPrimitives.ReadUInt32BigEndian(value[9..]);
        if (n > MaxPayloadLength || value.Length != HeaderLength + (int)n + SignatureLength)
        {
            throw new InvalidRecordException("signed record payload length does not match the value");
        }

        var payload = value.Slice(HeaderLength, (int)n);
        var signature = value.Slice(HeaderLength + (int)n, SignatureLength);
        var publicKey = owner.TryGetPublicKey();
        if (publicKey is null || publicKey.Type != KeyType.Ed25519)
        {
            throw new InvalidRecordException("signed record owner must be an Ed25519 peer id");
        }

        if (!publicKey.Verify(SignedMessage(key, sequence, payload), signature))
        {
            throw new InvalidRecordException("signed record signature does not verify");
        }

        return new SignedRecord(name, owner, sequence, payload.ToArray());
    }

    private static (string Name, PeerId Owner) ParseKey(ReadOnlySpan<byte> key)
    {
        const int MaxKey = 1 + 6 + 1 + MaxNameLength + 1 + 128;
        if (key.Length > MaxKey || !key.StartsWith("/chhaya/"u8))
        {
            throw new InvalidRecordException("signed record key must start with /chhaya/");
        }

        var rest = key[8..];
        var slash = rest.IndexOf((byte)'/');
        if (slash < 0)
        {
            throw new InvalidRecordException("signed record key must be /chhaya/NAME/PEERID");
        }

        var name = System.Text.Encoding.ASCII.GetString(rest[..slash]);
        if (!IsValidName(name) || rest[..slash].ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
        {
            throw new InvalidRecordException("signed record name must be 1 to 64 characters of a-z 0-9 . _ -");
        }

        var idText = rest[(slash + 1)..];
        if (idText.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e))
        {
            throw new InvalidRecordException("signed record peer id must be base58 text");
        }

        PeerId owner;
        try
        {
            owner = PeerId.Parse(System.Text.Encoding.ASCII.GetString(idText));
        }
        catch (MalformedInputException e)
        {
            throw new InvalidRecordException("signed record key holds no valid peer id: " + e.Message, e);
        }

        // Only the canonical spelling: one record, one key.
        if (!idText.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(owner.ToString())))
        {
            throw new InvalidRecordException("signed record peer id must be in its base58btc form");
        }

        return (name, owner);
    }

    private static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-');

    private static byte[] SignedMessage(ReadOnlySpan<byte> key, ulong sequence, ReadOnlySpan<byte> payload)
    {
        var m = new byte[Domain.Length + 2 + key.Length + 8 + 4 + payload.Length];
        var s = m.AsSpan();
        Domain.CopyTo(s);
        s = s[Domain.Length..];
        BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)key.Length);
        key.CopyTo(s[2..]);
        s = s[(2 + key.Length)..];
        BinaryPrimitives.WriteUInt64BigEndian(s, sequence);
        BinaryPrimitives.WriteUInt32BigEndian(s[8..], (uint)payload.Length);
        payload.CopyTo(s[12..]);
        return m;
    }
}
