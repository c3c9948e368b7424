// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;

namespace Chhaya.P2p.Kad;

/// <summary>Parameters and resource bounds of a <see cref="KadDht"/>. Defaults follow the kad-dht spec and go-libp2p-kad-dht.</summary>
public sealed class KadDhtOptions
{
    public const string DefaultProtocolId = "/ipfs/kad/1.0.0";

    /// <summary>The protocol id; a private network may use its own to stay apart from the public DHT.</summary>
    public string ProtocolId { get; init; } = DefaultProtocolId;

    /// <summary>
    /// Client mode: query the DHT but neither serve it nor advertise the protocol in identify, so others do not put
    /// us in their routing tables (spec, "Client and server mode").
    /// </summary>
    public bool ClientMode { get; init; }

    /// <summary>Peers to bootstrap from. Nothing else is ever contacted at start: there is no built-in public list.</summary>
    public IList<Multiaddr> BootstrapPeers { get; init; } = [];

    /// <summary>The replication parameter k: bucket size, lookup width and number of peers a value is put to.</summary>
    public int BucketSize { get; init; } = 20;

    /// <summary>Requests in flight per lookup (alpha).</summary>
    public int Alpha { get; init; } = 3;

    /// <summary>Most peers one lookup queries, whatever the answers say.</summary>
    public int MaxPeersPerLookup { get; init; } = 128;

    /// <summary>Time one lookup may take before it returns what it has.</summary>
    public TimeSpan LookupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time for one request: dial (when needed), stream negotiation, request and response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Valid records from distinct peers after which GET_VALUE stops looking (spec, "Value retrieval", Q).</summary>
    public int GetValueQuorum { get; init; } = 4;

    /// <summary>Bucket refresh period (spec default 10 minutes); zero turns the periodic refresh off.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a stored record is served after it was received (go-libp2p-kad-dht MaxRecordAge).</summary>
    public TimeSpan RecordTtl { get; init; } = TimeSpan.FromHours(36);

    /// <summary>
    /// How often records we published with <see cref="KadDht.PutValueAsync"/> are put again to the then-closest peers,
    /// so they outlive <see cref="RecordTtl"/> and reach peers that joined since.
    /// </summary>
    public TimeSpan RecordRepublishInterval { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Records of our own that we keep republishing (the latest value per key); further keys are not republished.</summary>
    public int MaxRepublishedRecords { get; init; } = 256;

    /// <summary>How long a provider record is served (spec: 48 hours).</summary>
    public TimeSpan ProviderValidity { get; init; } = TimeSpan.FromHours(48);

    /// <summary>How often keys we provide are announced again (spec: 22 hours).</summary>
    public TimeSpan ProviderRepublishInterval { get; init; } = TimeSpan.FromHours(22);

    /// <summary>How long a provider's addresses are handed out after its announcement (spec: 30 minutes).</summary>
    public TimeSpan ProviderAddressTtl { get; init; } = TimeSpan.FromMinutes(30);

    public int MaxRecords { get; init; } = 4096;

    public long MaxRecordBytes { get; init; } = 32L * 1024 * 1024;

    public int MaxProviderKeys { get; init; } = 8192;

    public int MaxProvidersPerKey { get; init; } = 32;

    /// <summary>Peers whose addresses we remember outside the routing table.</summary>
    public int MaxAddressBookEntries { get; init; } = 4096;

    /// <summary>Requests answered on one inbound stream before it is closed.</summary>
    public int MaxRequestsPerStream { get; init; } = 64;

    /// <summary>Time an inbound stream may sit between requests before it is closed.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sustained inbound requests per second from one peer; more are refused (the stream is reset).</summary>
    public double InboundRequestsPerSecond { get; init; } = 20;

    /// <summary>Burst of inbound requests one peer may send above the sustained rate.</summary>
    public int InboundRequestBurst { get; init; } = 40;

    /// <summary>Routing-table liveness checks (pings of a full bucket's oldest peer) running at once; more candidates are dropped.</summary>
    public int MaxConcurrentLivenessChecks { get; init; } = 4;

    /// <summary>
    /// Loopback only: answers carry only loopback addresses, addresses learned from peers are kept only when they
    /// are loopback, and nothing beyond loopback is ever dialed. For tests and single-machine networks.
    /// </summary>
    public bool LoopbackOnly { get; init; }

    public KadLimits Limits { get; init; } = KadLimits.Default;

    /// <summary>Record validation by namespace; unknown namespaces are rejected.</summary>
    public NamespacedValidator Validator { get; init; } = NamespacedValidator.CreateDefault();

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BucketSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Alpha, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeersPerLookup, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(GetValueQuorum, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestsPerStream, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(InboundRequestBurst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentLivenessChecks, 1);
        if (!ProtocolId.StartsWith('/'))
        {
            throw new ArgumentException("protocol ids start with '/'", nameof(ProtocolId));
        }
    }
}
