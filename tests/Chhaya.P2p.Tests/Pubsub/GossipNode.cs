// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Pubsub;
using Chhaya.P2p.Tests.Hosting;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>A libp2p host on 127.0.0.1 with a gossipsub router using a short heartbeat.</summary>
internal sealed class GossipNode : IAsyncDisposable
{
    private GossipNode(TestHost host, GossipsubRouter router, CapturingLoggerFactory logs)
    {
        Host = host;
        Router = router;
        Logs = logs;
    }

    public TestHost Host { get; }

    public GossipsubRouter Router { get; }

    public CapturingLoggerFactory Logs { get; }

    public static GossipsubOptions Fast(Action<Dictionary<string, SignaturePolicy>>? policies = null, PeerScoreThresholds? thresholds = null)
    {
        var p = new Dictionary<string, SignaturePolicy>(StringComparer.Ordinal);
        policies?.Invoke(p);
        return new GossipsubOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatInitialDelay = TimeSpan.FromMilliseconds(20),
            TopicSignaturePolicies = p,
            Thresholds = thresholds ?? new PeerScoreThresholds(),
        };
    }

    public static async Task<GossipNode> StartAsync(GossipsubOptions? options = null)
    {
        var host = await TestHost.StartAsync();
        var logs = new CapturingLoggerFactory();
        var router = new GossipsubRouter(host.Host, host.Identity, options ?? Fast(), logs);
        router.Start();
        return new GossipNode(host, router, logs);
    }

    public async Task ConnectAsync(GossipNode other, CancellationToken cancellationToken) =>
        await Host.Host.DialAsync(other.Host.Address, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await Host.DisposeAsync();
        Logs.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or the token fires.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }
        }
    }

    /// <summary>Reads the next message, or throws after <paramref name="timeout"/>.</summary>
    public static async Task<ReceivedMessage> NextAsync(GossipsubSubscription sub, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await sub.Messages.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message on {sub.Topic} within {timeout}");
        }
    }
}
