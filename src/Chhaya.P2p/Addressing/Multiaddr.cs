// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Addressing;

/// <summary>
/// A multiaddr (multiformats/multiaddr spec): a sequence of (protocol, value) components with a text form
/// (<c>/ip4/127.0.0.1/tcp/4001/p2p/12D3...</c>) and a binary form (varint code, then the value: fixed size,
/// or varint length + bytes). Both codecs validate every value (IP sizes, port range, DNS names, peer ids),
/// so a parsed multiaddr always re-encodes to the same bytes.
/// </summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Largest binary multiaddr accepted.</summary>
    public const int MaxLength = 1024;

    /// <summary>Most components accepted.</summary>
    public const int MaxComponents = 16;

    private const int MaxDnsNameLength = 255;

    private readonly byte[] _bytes;

    private Multiaddr(IReadOnlyList<MultiaddrComponent> components, byte[] bytes)
    {
        Components = components;
        _bytes = bytes;
    }

    public IReadOnlyList<MultiaddrComponent> Components { get; }

    /// <summary>The binary form.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Parses the text form.</summary>
    /// <exception cref="MalformedInputException">Unknown protocol, a missing or bad value.</exception>
    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > MaxLength * 4 || text[0] != '/')
        {
            throw new MalformedInputException("multiaddr text must start with '/' and be at most 4096 characters");
        }

        var parts = text.Split('/');
        var components = new List<MultiaddrComponent>();
        var end = parts[^1].Length == 0 ? parts.Length - 1 : parts.Length;
        var i = 1;
        while (i < end)
        {
            var protocol = MultiaddrProtocol.ByName(parts[i])
                ?? throw new MalformedInputException($"multiaddr protocol '{parts[i]}' is unknown");
            i++;
            byte[] value;
            if (protocol.SizeBits == 0)
            {
                value = [];
            }
            else
            {
                if (i >= end)
                {
                    throw new MalformedInputException($"multiaddr protocol '{protocol.Name}' needs a value");
                }

                value = ParseValue(protocol, parts[i]);
                i++;
            }

            components.Add(new MultiaddrComponent(protocol, value));
            if (components.Count > MaxComponents)
            {
                throw new MalformedInputException($"multiaddr has more than {MaxComponents} components");
            }
        }

        if (components.Count == 0)
        {
            throw new MalformedInputException("multiaddr has no components");
        }

        return FromComponents(components);
    }

    /// <summary>Parses the binary form.</summary>
    /// <exception cref="MalformedInputException">Unknown code, truncated or bad value, or over the size limits.</exception>
    public static Multiaddr Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"binary multiaddr must be 1 to {MaxLength} bytes");
        }

        var components = new List<MultiaddrComponent>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            var code = Varint.Read(bytes[pos..], out var c);
            pos += c;
            var protocol = MultiaddrProtocol.ByCode(code)
                ?? throw new MalformedInputException($"multiaddr protocol code {code} is unknown");
            int length;
            if (protocol.SizeBits == MultiaddrProtocol.VariableSize)
            {
                length = Varint.ReadBounded(bytes[pos..], MaxLength, out c);
                pos += c;
            }
            else
            {
                length = protocol.SizeBits / 8;
            }

            if (bytes.Length - pos < length)
            {
                throw new MalformedInputException($"multiaddr value for '{protocol.Name}' is truncated");
            }

            var value = bytes.Slice(pos, length).ToArray();
            pos += length;
            ValidateValue(protocol, value);
            components.Add(new MultiaddrComponent(protocol, value));
            if (components.Count > MaxComponents)
            {
                throw new MalformedInputException($"multiaddr has more than {MaxComponents} components");
            }
        }

        return new Multiaddr(components, bytes.ToArray());
    }

    /// <summary>Builds a multiaddr from components.</summary>
    public static Multiaddr FromComponents(IReadOnlyList<MultiaddrComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var buffer = new List<byte>();
        foreach (var component in components)
        {
            ValidateValue(component.Protocol, component.Value.Span);
            Varint.Write((ulong)component.Protocol.Code, buffer);
            if (component.Protocol.SizeBits == MultiaddrProtocol.VariableSize)
            {
                Varint.Write((ulong)component.Value.Length, buffer);
            }

            buffer.AddRange(component.Value.Span);
        }

        if (buffer.Count > MaxLength)
        {
            throw new MalformedInputException($"multiaddr is longer than {MaxLength} bytes");
        }

        return new Multiaddr(components.ToArray(), buffer.ToArray());
    }

    /// <summary>A TCP multiaddr for an IP endpoint (<c>/ip4/.../tcp/...</c> or <c>/ip6/.../tcp/...</c>).</summary>
    public static Multiaddr FromTcpEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var ip = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        var ipProtocol = ip.AddressFamily == AddressFamily.InterNetwork ? MultiaddrProtocol.Ip4 : MultiaddrProtocol.Ip6;
        var port = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)endPoint.Port);
        return FromComponents([new(ipProtocol, ip.GetAddressBytes()), new(MultiaddrProtocol.Tcp, port)]);
    }

    /// <summary>This address with <c>/p2p/PEER</c> appended.</summary>
    public Multiaddr WithPeerId(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var list = Components.ToList();
        list.Add(new MultiaddrComponent(MultiaddrProtocol.P2p, peer.Bytes.ToArray()));
        return FromComponents(list);
    }

    /// <summary>The peer id of the last <c>/p2p</c> component, if any.</summary>
    public PeerId? PeerId
    {
        get
        {
            for (var i = Components.Count - 1; i >= 0; i--)
            {
                if (Components[i].Protocol == MultiaddrProtocol.P2p)
                {
                    return Identity.PeerId.FromBytes(Components[i].Value.Span);
                }
            }

            return null;
        }
    }

    /// <summary>The address without a trailing <c>/p2p/...</c> component.</summary>
    public Multiaddr WithoutPeerId() =>
        Components.Count > 1 && Components[^1].Protocol == MultiaddrProtocol.P2p
            ? FromComponents(Components.Take(Components.Count - 1).ToArray())
            : this;

    /// <summary>The (host, port) of a <c>/ip4|ip6|dns*/.../tcp/PORT</c> address, or null when it is not one.</summary>
    public (string Host, int Port)? TryGetTcpTarget()
    {
        if (Components.Count < 2 || Components[1].Protocol != MultiaddrProtocol.Tcp)
        {
            return null;
        }

        var first = Components[0];
        var port = BinaryPrimitives.ReadUInt16BigEndian(Components[1].Value.Span);
        if (first.Protocol == MultiaddrProtocol.Ip4 || first.Protocol == MultiaddrProtocol.Ip6)
        {
            return (new IPAddress(first.Value.Span).ToString(), port);
        }

        if (first.Protocol == MultiaddrProtocol.Dns || first.Protocol == MultiaddrProtocol.Dns4 || first.Protocol == MultiaddrProtocol.Dns6)
        {
            return (System.Text.Encoding.ASCII.GetString(first.Value.Span), port);
        }

        return null;
    }

    /// <summary>The text form.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var c in Components)
        {
            sb.Append('/').Append(c.Protocol.Name);
            if (c.Protocol.SizeBits != 0)
            {
                sb.Append('/').Append(FormatValue(c.Protocol, c.Value.Span));
            }
        }

        return sb.ToString();
    }

    public bool Equals(Multiaddr? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(_bytes);
        return h.ToHashCode();
    }

    private static byte[] ParseValue(MultiaddrProtocol protocol, string text)
    {
        switch (protocol.Code)
        {
            case 4:
            case 41:
                if (!IPAddress.TryParse(text, out var ip)
                    || ip.AddressFamily != (protocol.Code == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
                    || (protocol.Code == 4 && text.Count(ch => ch == '.') != 3)
                    || (protocol.Code == 41 && ip.ScopeId != 0))
                {
                    throw new MalformedInputException($"'{text}' is not a valid {protocol.Name} address");
                }

                return ip.GetAddressBytes();
            case 6:
            case 273:
                if (!ushort.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                    || (text.Length > 1 && text[0] == '0'))
                {
                    throw new MalformedInputException($"'{text}' is not a valid port");
                }

                var bytes = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
                return bytes;
            case 421:
                return Identity.PeerId.Parse(text).Bytes.ToArray();
            default:
                // dns, dns4, dns6, dnsaddr: the name as bytes; checked by ValidateValue.
                return System.Text.Encoding.UTF8.GetBytes(text);
        }
    }

    private static void ValidateValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        if (protocol.SizeBits >= 0 && value.Length != protocol.SizeBits / 8)
        {
            throw new MalformedInputException($"multiaddr value for '{protocol.Name}' must be {protocol.SizeBits / 8} bytes");
        }

        if (protocol.Code == 421)
        {
            _ = Identity.PeerId.FromBytes(value);
        }
        else if (protocol.Code is 53 or 54 or 55 or 56)
        {
            if (value.Length == 0 || value.Length > MaxDnsNameLength)
            {
                throw new MalformedInputException("DNS name must be 1 to 255 bytes");
            }

            foreach (var b in value)
            {
                // Letters, digits, hyphen, dot and underscore; no '/' (it would break the text form).
                var ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                    or (byte)'-' or (byte)'.' or (byte)'_';
                if (!ok)
                {
                    throw new MalformedInputException("DNS name has a character outside [A-Za-z0-9-._]");
                }
            }
        }
    }

    private static string FormatValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value) => protocol.Code switch
    {
        4 or 41 => new IPAddress(value).ToString(),
        6 or 273 => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        421 => Identity.PeerId.FromBytes(value).ToString(),
        _ => System.Text.Encoding.ASCII.GetString(value),
    };
}
