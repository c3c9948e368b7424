// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>
/// Unsigned LEB128 varints as the multiformats unsigned-varint spec defines them: at most 9 bytes
/// (63 bits), and only the minimal encoding is accepted, so every value has exactly one byte form.
/// </summary>
public static class Varint
{
    /// <summary>The longest encoding the spec allows (9 bytes carry 63 bits).</summary>
    public const int MaxLength = 9;

    /// <summary>Number of bytes <paramref name="value"/> takes.</summary>
    public static int SizeOf(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value needs more than 63 bits.</exception>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Write(ulong value, Span<byte> destination)
    {
        if (value > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "unsigned varints carry at most 63 bits");
        }

        var size = SizeOf(value);
        if (destination.Length < size)
        {
            throw new ArgumentException($"destination needs {size} bytes", nameof(destination));
        }

        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Appends the encoding of <paramref name="value"/> to <paramref name="output"/>.</summary>
    public static void Write(ulong value, List<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> tmp = stackalloc byte[MaxLength];
        var n = Write(value, tmp);
        for (var i = 0; i < n; i++)
        {
            output.Add(tmp[i]);
        }
    }

    /// <summary>Decodes a varint at the start of <paramref name="input"/>.</summary>
    internal static DecodeStatus TryRead(ReadOnlySpan<byte> input, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= input.Length)
            {
                return DecodeStatus.NeedMoreData;
            }

            var b = input[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // A final zero byte after the first means a longer form than needed (spec: "must be minimal").
                if (b == 0 && i > 0)
                {
                    value = 0;
                    return DecodeStatus.Malformed;
                }

                consumed = i + 1;
                return DecodeStatus.Done;
            }
        }

        value = 0;
        return DecodeStatus.Malformed;
    }

    /// <summary>Decodes a whole varint at the start of <paramref name="input"/>.</summary>
    /// <exception cref="MalformedInputException">The input is truncated, too long or not minimal.</exception>
    public static ulong Read(ReadOnlySpan<byte> input, out int consumed)
    {
        var status = TryRead(input, out var value, out consumed);
        if (status != DecodeStatus.Done)
        {
            ThrowMalformed(status);
        }

        return value;
    }

    /// <summary>Decodes a varint and checks that it is at most <paramref name="maximum"/>.</summary>
    /// <exception cref="MalformedInputException">Malformed, or larger than <paramref name="maximum"/>.</exception>
    public static int ReadBounded(ReadOnlySpan<byte> input, int maximum, out int consumed)
    {
        var value = Read(input, out consumed);
        if (value > (ulong)maximum)
        {
            throw new MalformedInputException($"length {value} is over the limit of {maximum}");
        }

        return (int)value;
    }

    /// <summary>Reads one varint from a stream one byte at a time, so nothing after it is consumed.</summary>
    /// <returns>The value, or null when the stream ended before the first byte.</returns>
    /// <exception cref="MalformedInputException">Not minimal, too long, or the stream ended inside it.</exception>
    public static async ValueTask<ulong?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxLength];
        for (var i = 0; i < MaxLength; i++)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(i, 1), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (i == 0)
                {
                    return null;
                }

                throw new MalformedInputException("stream ended inside a varint");
            }

            if ((buffer[i] & 0x80) == 0)
            {
                return Read(buffer.AsSpan(0, i + 1), out _);
            }
        }

        throw new MalformedInputException("varint is longer than 9 bytes");
    }

    [DoesNotReturn]
    private static void ThrowMalformed(DecodeStatus status) => throw new MalformedInputException(
        status == DecodeStatus.NeedMoreData ? "input ends inside a varint" : "varint is longer than 9 bytes or not minimal");
}
