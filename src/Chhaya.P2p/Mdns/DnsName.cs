// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;

namespace Chhaya.P2p.Mdns;

/// <summary>
/// DNS domain names on the wire (RFC 1035 §3.1 and §4.1.4): a sequence of length-prefixed labels ending in a
/// zero byte, where a two-byte pointer (<c>11xxxxxx xxxxxxxx</c>) may replace the tail with a name written
/// earlier in the message. Names are handled as dotted text without the trailing dot (<c>_p2p._udp.local</c>).
/// </summary>
/// <remarks>
/// Defences: every pointer must point strictly before the start of the segment that holds it, so the chain of
/// targets strictly decreases and a loop is impossible; at most <see cref="MaxPointerJumps"/> jumps are followed;
/// the name may hold at most <see cref="MaxWireLength"/> bytes (RFC 1035 §2.3.4); labels are 1..63 bytes of
/// strict UTF-8 without dots or control characters; the extended label types (01 and 10 prefixes) are refused.
/// </remarks>
public static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;
    public const int MaxPointerJumps = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the name at <paramref name="position"/> and advances it past the name's in-place bytes.</summary>
    /// <exception cref="MalformedInputException">Truncated, too long, a bad label, or a bad pointer.</exception>
    public static string Read(ReadOnlySpan<byte> message, ref int position)
    {
        var p = position;
        var segmentStart = position;
        var jumps = 0;
        var wireLength = 1; // the terminating zero byte
        int? resume = null;
        var text = new StringBuilder();
        while (true)
        {
            if (p >= message.Length)
            {
                throw new MalformedInputException("DNS name runs past the end of the message");
            }

            var length = message[p];
            if ((length & 0xC0) == 0xC0)
            {
                if (p + 1 >= message.Length)
                {
                    throw new MalformedInputException("DNS name pointer is truncated");
                }

                var target = ((length & 0x3F) << 8) | message[p + 1];
                if (target >= segmentStart)
                {
                    throw new MalformedInputException("DNS name pointer does not point backwards");
                }

                if (++jumps > MaxPointerJumps)
                {
                    throw new MalformedInputException($"DNS name follows more than {MaxPointerJumps} pointers");
                }

                resume ??= p + 2;
                p = target;
                segmentStart = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new MalformedInputException("DNS extended label types are not supported");
            }

            if (length == 0)
            {
                position = resume ?? p + 1;
                return text.ToString();
            }

            if (p + 1 + length > message.Length)
            {
                throw new MalformedInputException("DNS label runs past the end of the message");
            }

            wireLength += 1 + length;
            if (wireLength > MaxWireLength)
            {
                throw new MalformedInputException($"DNS name is longer than {MaxWireLength} bytes");
            }

            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(DecodeLabel(message.Slice(p + 1, length)));
            p += 1 + length;
        }
    }

    /// <summary>Writes <paramref name="name"/> without compression.</summary>
    /// <exception cref="ArgumentException">A label is empty, too long or holds a dot or control character.</exception>
    public static void Write(string name, List<byte> output)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(output);
        var total = 1;
        if (name.Length > 0)
        {
            foreach (var label in name.Split('.'))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(label);
                if (bytes.Length is 0 or > MaxLabelLength || label.Any(char.IsControl))
                {
                    throw new ArgumentException($"DNS label '{label}' must be 1..{MaxLabelLength} bytes without control characters", nameof(name));
                }

                total += 1 + bytes.Length;
                output.Add((byte)bytes.Length);
                output.AddRange(bytes);
            }
        }

        if (total > MaxWireLength)
        {
            throw new ArgumentException($"DNS name is longer than {MaxWireLength} bytes", nameof(name));
        }

        output.Add(0);
    }

    /// <summary>DNS names compare case-insensitively in ASCII (RFC 1035 §2.3.3; RFC 6762 §16 for mDNS).</summary>
    public static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string DecodeLabel(ReadOnlySpan<byte> label)
    {
        string s;
        try
        {
            s = StrictUtf8.GetString(label);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedInputException("DNS label is not valid UTF-8", e);
        }

        foreach (var c in s)
        {
            if (c == '.' || char.IsControl(c))
            {
                throw new MalformedInputException("DNS label holds a dot or a control character");
            }
        }

        return s;
    }
}
