// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Mdns;

/// <summary>
/// A resource record (RFC 1035 §4.1.3). PTR and TXT data are decoded (<see cref="PtrTarget"/>,
/// <see cref="TxtStrings"/>); every other type keeps its raw <see cref="Data"/>. In mDNS the top bit of
/// <see cref="Class"/> is the "cache flush" bit (RFC 6762 §10.2); <see cref="ClassCode"/> masks it off.
/// </summary>
public sealed record DnsResourceRecord(string Name, DnsRecordType Type, ushort Class, uint Ttl)
{
    /// <summary>The record data of a type this codec does not decode (A, AAAA, SRV, ...).</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The target name of a PTR record.</summary>
    public string? PtrTarget { get; init; }

    /// <summary>The character-strings of a TXT record (RFC 1035 §3.3.14), each at most 255 bytes.</summary>
    public IReadOnlyList<byte[]>? TxtStrings { get; init; }

    public ushort ClassCode => (ushort)(Class & 0x7FFF);

    public static DnsResourceRecord NamePointer(string name, string target, uint ttl) =>
        new(name, DnsRecordType.NamePointer, DnsMessage.ClassIn, ttl) { PtrTarget = target };

    public static DnsResourceRecord Text(string name, IReadOnlyList<byte[]> strings, uint ttl) =>
        new(name, DnsRecordType.Text, DnsMessage.ClassIn, ttl) { TxtStrings = strings };
}
