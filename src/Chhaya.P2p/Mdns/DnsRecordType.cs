// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Mdns;

/// <summary>The DNS record types this codec names (RFC 1035 §3.2.2, RFC 3596, RFC 2782); others pass as numbers.</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NamePointer = 12,
    Text = 16,
    Aaaa = 28,
    Srv = 33,
    Any = 255,
}
