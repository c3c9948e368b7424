// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Mdns;

/// <summary>
/// The libp2p mDNS messages (libp2p specs <c>discovery/mdns.md</c>, r2): a query is a DNS question
/// <c>SERVICE PTR</c> (<c>_p2p._udp.local</c>); a response answers <c>SERVICE PTR PEERNAME.SERVICE</c> and adds
/// <c>PEERNAME.SERVICE TXT "dnsaddr=MULTIADDR"</c>, one character-string per address, each address ending in
/// <c>/p2p/PEERID</c>. PEERNAME is a random label of 32..63 characters, so the DNS names reveal nothing.
/// </summary>
public static class MdnsMessages
{
    public const string DefaultServiceName = "_p2p._udp.local";
    public const uint DefaultTtlSeconds = 120;

    /// <summary>Most addresses taken from one peer's response; extra ones are ignored.</summary>
    public const int MaxAddressesPerPeer = 16;

    /// <summary>Most peers taken from one response.</summary>
    public const int MaxPeersPerMessage = 16;

    private const string DnsAddrPrefix = "dnsaddr=";
    private const string PeerNameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A fresh random peer name of <paramref name="length"/> (32..63) characters.</summary>
    public static string NewPeerName(int length = 48)
    {
        Guard.InRange(length, 32, DnsName.MaxLabelLength);
        return RandomNumberGenerator.GetString(PeerNameAlphabet, length);
    }

    public static DnsMessage BuildQuery(string serviceName) =>
        new(0, 0, [new DnsQuestion(serviceName, DnsRecordType.NamePointer)], [], [], []);

    /// <summary>
    /// Our response: the PTR answer and a TXT record with one <c>dnsaddr=</c> string per address. Addresses whose
    /// string would not fit a 255-byte character-string are left out, as are those past <see cref="MaxAddressesPerPeer"/>.
    /// </summary>
    public static DnsMessage BuildResponse(string serviceName, string peerName, PeerId self, IEnumerable<Multiaddr> addresses, uint ttl = DefaultTtlSeconds)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(addresses);
        var instance = peerName + "." + serviceName;
        var strings = new List<byte[]>();
        foreach (var address in addresses)
        {
            var full = address.PeerId is null ? address.WithPeerId(self) : address;
            var text = System.Text.Encoding.UTF8.GetBytes(DnsAddrPrefix + full);
            if (text.Length <= 255 && strings.Count < MaxAddressesPerPeer)
            {
                strings.Add(text);
            }
        }

        return new DnsMessage(
            0,
            DnsMessage.ResponseFlag | DnsMessage.AuthoritativeFlag,
            [],
            [DnsResourceRecord.NamePointer(serviceName, instance, ttl)],
            [],
            [DnsResourceRecord.Text(instance, strings, ttl)]);
    }

    /// <summary>True when <paramref name="message"/> is a query that asks for <paramref name="serviceName"/> PTR (or ANY).</summary>
    public static bool IsQueryFor(DnsMessage message, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(message);
        return !message.IsResponse && message.Questions.Any(q =>
            DnsName.NameEquals(q.Name, serviceName)
            && q.Type is DnsRecordType.NamePointer or DnsRecordType.Any
            && q.ClassCode == DnsMessage.ClassIn);
    }

    /// <summary>
    /// The peers a response announces: for each <c>SERVICE PTR INSTANCE</c>, the <c>dnsaddr=</c> strings of the
    /// TXT records named INSTANCE (in any section). An address that does not parse or lacks a <c>/p2p</c> part is
    /// skipped; one naming another peer than the instance's first address is skipped too, so a response cannot
    /// mix identities under one name. A TTL of zero (a goodbye, RFC 6762 §10.1) announces nothing.
    /// </summary>
    public static IReadOnlyList<MdnsPeer> ReadPeers(DnsMessage message, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(message);
        var peers = new List<MdnsPeer>();
        if (!message.IsResponse)
        {
            return peers;
        }

        var records = message.AllRecords.ToList();
        foreach (var ptr in records)
        {
            if (ptr.Type != DnsRecordType.NamePointer || ptr.Ttl == 0 || !DnsName.NameEquals(ptr.Name, serviceName) || ptr.PtrTarget is null)
            {
                continue;
            }

            PeerId? peer = null;
            var addresses = new List<Multiaddr>();
            foreach (var txt in records)
            {
                if (txt.Type != DnsRecordType.Text || txt.TxtStrings is null || !DnsName.NameEquals(txt.Name, ptr.PtrTarget))
                {
                    continue;
                }

                foreach (var s in txt.TxtStrings)
                {
                    if (addresses.Count == MaxAddressesPerPeer)
                    {
                        break;
                    }

                    if (TryParseDnsAddr(s) is not { } address || address.PeerId is not { } id)
                    {
                        continue;
                    }

                    peer ??= id;
                    if (id.Equals(peer) && !addresses.Contains(address))
                    {
                        addresses.Add(address);
                    }
                }
            }

            if (peer is not null && peers.Count < MaxPeersPerMessage && !peers.Any(p => p.PeerId.Equals(peer)))
            {
                peers.Add(new MdnsPeer(peer, addresses));
            }
        }

        return peers;
    }

    private static Multiaddr? TryParseDnsAddr(byte[] s)
    {
        if (s.Length <= DnsAddrPrefix.Length || !s.AsSpan().StartsWith("dnsaddr="u8))
        {
            return null;
        }

        try
        {
            return Multiaddr.Parse(System.Text.Encoding.ASCII.GetString(s.AsSpan(DnsAddrPrefix.Length)));
        }
        catch (MalformedInputException)
        {
            return null;
        }
    }
}
