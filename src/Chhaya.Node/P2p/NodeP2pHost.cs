// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Identity;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.P2p;

/// <summary>
/// The node's libp2p host, with the node's own Ed25519 identity (so its peer id and identity key are one
/// key), started with the node and stopped with it.
/// </summary>
public sealed partial class NodeP2pHost : IHostedService, IAsyncDisposable
{
    private readonly Ed25519Identity _identity;
    private readonly ILogger<NodeP2pHost> _logger;
    private int _disposed;

    public NodeP2pHost(NodeIdentity identity, IOptions<P2pOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _identity = Ed25519Identity.FromSeed(identity.Seed.ReadOnlySpan);
        _logger = loggerFactory.CreateLogger<NodeP2pHost>();
        var listen = options.Value.Listen.Count == 0 ? [P2pOptions.DefaultListen] : options.Value.Listen;
        Enabled = options.Value.Enabled;
        Host = new Libp2pHost(
            new Libp2pHostOptions
            {
                Identity = _identity,
                ListenAddresses = [.. listen.Select(ParseListen)],
                AgentVersion = $"chhaya/{Hosting.NodeVersion.Current}",
            },
            loggerFactory);
    }

    /// <summary>Whether libp2p runs in this node.</summary>
    public bool Enabled { get; }

    public Libp2pHost Host { get; }

    public PeerId PeerId => _identity.PeerId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await Host.StartAsync(cancellationToken);
        var addresses = string.Join(", ", Host.GetAnnounceAddresses());
        LogListening(_logger, _identity.PeerId, addresses);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            await Host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this object twice (as itself and as the hosted service it also is);
        // the identity must be wiped once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Host.DisposeAsync();
        _identity.Dispose();
    }

    private static Multiaddr ParseListen(string text)
    {
        try
        {
            var address = Multiaddr.Parse(text);
            return address.TryGetTcpTarget() is null
                ? throw new ArgumentException($"P2p:Listen '{text}' is not a TCP address such as {P2pOptions.DefaultListen}.")
                : address;
        }
        catch (Chhaya.Safety.MalformedInputException e)
        {
            throw new ArgumentException($"P2p:Listen '{text}' is not a valid multiaddr: {e.Message}", e);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "libp2p peer {PeerId} listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, PeerId peerId, string addresses);
}
