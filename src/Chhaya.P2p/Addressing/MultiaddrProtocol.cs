// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Addressing;

/// <summary>
/// One row of the multiaddr protocol table (multiformats <c>protocols.csv</c>): its code, the size of its value
/// in bits (<see cref="VariableSize"/> for a varint length prefix, 0 for none) and its name.
/// </summary>
public sealed record MultiaddrProtocol(int Code, int SizeBits, string Name)
{
    /// <summary>Marks a value carried with a varint length prefix.</summary>
    public const int VariableSize = -1;

    public static readonly MultiaddrProtocol Ip4 = new(4, 32, "ip4");
    public static readonly MultiaddrProtocol Tcp = new(6, 16, "tcp");
    public static readonly MultiaddrProtocol Udp = new(273, 16, "udp");
    public static readonly MultiaddrProtocol Ip6 = new(41, 128, "ip6");
    public static readonly MultiaddrProtocol Dns = new(53, VariableSize, "dns");
    public static readonly MultiaddrProtocol Dns4 = new(54, VariableSize, "dns4");
    public static readonly MultiaddrProtocol Dns6 = new(55, VariableSize, "dns6");
    public static readonly MultiaddrProtocol DnsAddr = new(56, VariableSize, "dnsaddr");
    public static readonly MultiaddrProtocol P2p = new(421, VariableSize, "p2p");
    public static readonly MultiaddrProtocol P2pCircuit = new(290, 0, "p2p-circuit");
    public static readonly MultiaddrProtocol Quic = new(460, 0, "quic");
    public static readonly MultiaddrProtocol QuicV1 = new(461, 0, "quic-v1");

    /// <summary>Every protocol this codec knows; others are rejected rather than passed through blindly.</summary>
    public static readonly IReadOnlyList<MultiaddrProtocol> All =
        [Ip4, Tcp, Udp, Ip6, Dns, Dns4, Dns6, DnsAddr, P2p, P2pCircuit, Quic, QuicV1];

    private static readonly Dictionary<int, MultiaddrProtocol> ByCodeMap = All.ToDictionary(p => p.Code);
    private static readonly Dictionary<string, MultiaddrProtocol> ByNameMap = BuildNames();

    public static MultiaddrProtocol? ByCode(ulong code) =>
        code <= int.MaxValue && ByCodeMap.TryGetValue((int)code, out var p) ? p : null;

    public static MultiaddrProtocol? ByName(string name) => ByNameMap.GetValueOrDefault(name);

    private static Dictionary<string, MultiaddrProtocol> BuildNames()
    {
        var map = All.ToDictionary(p => p.Name, StringComparer.Ordinal);

        // protocols.csv: "ipfs" is the older name of p2p and parses to the same code.
        map["ipfs"] = P2p;
        return map;
    }
}
