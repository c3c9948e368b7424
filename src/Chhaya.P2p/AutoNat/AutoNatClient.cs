// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.AutoNat;

/// <summary>
/// The AutoNAT v1 client: asks a connected peer to dial our addresses back and keeps a verdict.
/// </summary>
/// <remarks>
/// The verdict (after go-libp2p's confidence counter, with the spec's "more than 3 peers" as the entry bar):
/// from <see cref="NatStatus.Unknown"/>, <see cref="AutoNatClientOptions.Threshold"/> agreeing results in a
/// row settle the status. Once settled, an agreeing result raises the confidence (up to
/// <see cref="AutoNatClientOptions.MaxConfidence"/>), a contrary one lowers it, and a contrary result at
/// confidence 0 flips the status. Only OK (reachable) and E_DIAL_ERROR (not reachable) count; refusals, bad
/// requests and failed probes say nothing about us. A peer's report is not verified (spec "Security
/// Considerations"); the threshold is what limits a single liar.
/// </remarks>
public sealed class AutoNatClient
{
    private readonly Libp2pHost _host;
    private readonly AutoNatClientOptions _options;
    private readonly Func<IReadOnlyList<Multiaddr>> _addresses;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private bool? _streakReachable;
    private int _streak;

    /// <param name="host">The host whose reachability is probed.</param>
    /// <param name="options">Thresholds and timeouts.</param>
    /// <param name="addresses">The addresses to have dialed; the host's announce addresses by default.</param>
    /// <param name="loggerFactory">Where log events go; none when null.</param>
    public AutoNatClient(Libp2pHost host, AutoNatClientOptions? options = null, Func<IReadOnlyList<Multiaddr>>? addresses = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _options = options ?? new AutoNatClientOptions();
        Guard.InRange(_options.Threshold, 1, 100);
        Guard.InRange(_options.MaxConfidence, 0, 100);
        _addresses = addresses ?? host.GetAnnounceAddresses;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.AutoNat");
    }

    public NatStatus Status { get; private set; }

    public int Confidence { get; private set; }

    /// <summary>Raised when <see cref="Status"/> changes.</summary>
    public event EventHandler<NatStatus>? StatusChanged;

    /// <summary>Asks <paramref name="server"/> to dial us back, records the result and returns the response.</summary>
    /// <exception cref="MalformedInputException">The response is malformed or not a DIAL_RESPONSE with a status.</exception>
    /// <exception cref="Multistream.ProtocolNotSupportedException">The peer does not serve AutoNAT.</exception>
    public async Task<AutoNatMessage> ProbeAsync(Libp2pConnection server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProbeTimeout);
        var addresses = _addresses().Select(a => a.WithoutPeerId().Bytes.ToArray()).Take(AutoNatMessage.MaxAddresses);
        var s = await _host.OpenStreamAsync(server, [AutoNatMessage.ProtocolId], timeout.Token).ConfigureAwait(false);
        AutoNatMessage response;
        await using (s.ConfigureAwait(false))
        {
            await LengthPrefixed.WriteAsync(s.Stream, AutoNatMessage.Dial(_host.PeerId.Bytes, addresses).Encode(), timeout.Token).ConfigureAwait(false);
            response = AutoNatMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, AutoNatMessage.MaxLength, timeout.Token).ConfigureAwait(false));
        }

        if (response.Type != AutoNatMessage.TypeDialResponse || response.Status is null)
        {
            throw new MalformedInputException("AutoNAT reply is not a DIAL_RESPONSE with a status");
        }

        if (response.Status == AutoNatStatus.Ok)
        {
            Observe(reachable: true);
        }
        else if (response.Status == AutoNatStatus.DialError)
        {
            Observe(reachable: false);
        }

        return response;
    }

    /// <summary>Records one verdict from a server (see the remarks on the type).</summary>
    public void Observe(bool reachable)
    {
        NatStatus? changed = null;
        lock (_lock)
        {
            var agreeing = reachable ? NatStatus.Public : NatStatus.Private;
            if (Status == NatStatus.Unknown)
            {
                _streak = _streakReachable == reachable ? _streak + 1 : 1;
                _streakReachable = reachable;
                if (_streak >= _options.Threshold)
                {
                    Status = agreeing;
                    Confidence = 0;
                    changed = agreeing;
                }
            }
            else if (Status == agreeing)
            {
                Confidence = Math.Min(Confidence + 1, _options.MaxConfidence);
            }
            else if (Confidence > 0)
            {
                Confidence--;
            }
            else
            {
                Status = agreeing;
                changed = agreeing;
            }
        }

        if (changed is { } status)
        {
            AutoNatLog.StatusChanged(_logger, status, Confidence);
            StatusChanged?.Invoke(this, status);
        }
    }

    internal void ProbeFailed(Libp2pConnection server, Exception e) => AutoNatLog.ProbeFailed(_logger, server.RemotePeer, e.Message);
}
