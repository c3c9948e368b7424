// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Directory;

/// <summary>Whether an envelope carries a real payload or is cover traffic to be dropped on arrival.</summary>
public enum EnvelopeKind : byte
{
    /// <summary>A real message or query.</summary>
    Real = 0,

    /// <summary>A dummy sent only so real traffic cannot be told apart by timing or count.</summary>
    Cover = 1,
}

/// <summary>
/// A fixed-size envelope: real payloads and cover traffic are padded to the same size buckets, so once
/// the transport encrypts them an observer sees only the bucket. Layout:
/// <c>version (0x01) ‖ kind ‖ u32be(payload length) ‖ payload ‖ zero padding</c>, total = a bucket size.
/// Cover envelopes carry random filler so they cost the same to produce.
/// </summary>
public sealed record CoverEnvelope(EnvelopeKind Kind, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Format version.</summary>
    public const byte Version = 1;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderLength = 6;

    /// <summary>The allowed envelope sizes, smallest first.</summary>
    public static IReadOnlyList<int> Buckets { get; } = [512, 2048, 8192, 32768];

    /// <summary>Largest payload that fits the largest bucket.</summary>
    public static int MaxPayloadLength => Buckets[^1] - HeaderLength;

    /// <summary>A real envelope for <paramref name="payload"/>, in the smallest bucket that fits.</summary>
    /// <exception cref="ArgumentException">The payload is over <see cref="MaxPayloadLength"/>.</exception>
    public static CoverEnvelope ForPayload(ReadOnlySpan<byte> payload)
    {
        Guard.MaxLength(payload.Length, MaxPayloadLength, nameof(payload));
        return new CoverEnvelope(EnvelopeKind.Real, payload.ToArray());
    }

    /// <summary>A cover envelope of the given bucket size.</summary>
    public static CoverEnvelope ForCover(int bucket)
    {
        if (!Buckets.Contains(bucket))
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "not an envelope bucket size");
        }

        var filler = new byte[bucket - HeaderLength];
        RandomNumberGenerator.Fill(filler);
        return new CoverEnvelope(EnvelopeKind.Cover, filler);
    }

    /// <summary>The bucket this envelope is padded to.</summary>
    public int Bucket => Buckets.First(b => b - HeaderLength >= Payload.Length);

    /// <summary>The padded wire form.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[Bucket];
        bytes[0] = Version;
        bytes[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), (uint)Payload.Length);
        Payload.Span.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Reads an envelope; the size must be a bucket and the padding all zero.</summary>
    /// <exception cref="MalformedInputException">Not a well-formed envelope.</exception>
    public static CoverEnvelope Decode(ReadOnlySpan<byte> data)
    {
        if (!Buckets.Contains(data.Length))
        {
            throw new MalformedInputException($"An envelope of {data.Length} bytes is not a bucket size.");
        }

        if (data[0] != Version)
        {
            throw new MalformedInputException($"Envelope version {data[0]} is not {Version}.");
        }

        if (data[1] > (byte)EnvelopeKind.Cover)
        {
            throw new MalformedInputException($"Envelope kind {data[1]} is unknown.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(data[2..]);
        if (length > (uint)(data.Length - HeaderLength))
        {
            throw new MalformedInputException($"Envelope payload of {length} bytes does not fit.");
        }

        var payload = data.Slice(HeaderLength, (int)length);
        var padding = data[(HeaderLength + (int)length)..];
        if (padding.ContainsAnyExcept((byte)0))
        {
            throw new MalformedInputException("Envelope padding is not zero.");
        }

        var envelope = new CoverEnvelope((EnvelopeKind)data[1], payload.ToArray());
        if (envelope.Bucket != data.Length)
        {
            throw new MalformedInputException("Envelope is not in the smallest bucket that fits its payload.");
        }

        return envelope;
    }
}
