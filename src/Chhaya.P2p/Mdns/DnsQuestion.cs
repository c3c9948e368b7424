// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Mdns;

/// <summary>
/// A question (RFC 1035 §4.1.2). In mDNS the top bit of <see cref="Class"/> is the "unicast response" bit
/// (RFC 6762 §5.4); <see cref="ClassCode"/> masks it off.
/// </summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type, ushort Class = DnsMessage.ClassIn)
{
    public ushort ClassCode => (ushort)(Class & 0x7FFF);
}
