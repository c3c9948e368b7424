// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Pubsub;
using Chhaya.Witness.Gossip;

namespace Chhaya.Node.P2p;

/// <summary>
/// The witness topics on the node's gossipsub router: the witness's cheap validator becomes the topic's
/// gossipsub validator (so invalid heads, co-signatures and evidence stop at the first hop and count
/// against the peer that sent them), and a pump per topic hands accepted messages to the slow path.
/// </summary>
public sealed partial class GossipsubWitnessGossip(NodeP2pHost p2p, ILogger<GossipsubWitnessGossip> logger) : IWitnessGossip, IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _pumps = [];

    public void Subscribe(string topic, Func<ReadOnlyMemory<byte>, GossipVerdict> validate, Func<GossipDelivery, CancellationToken, Task> deliver)
    {
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(deliver);
        var router = p2p.Gossip;
        if (router is null)
        {
            return;
        }

        router.RegisterValidator(topic, (message, _) => ValueTask.FromResult(validate(message.Data) switch
        {
            GossipVerdict.Accept => ValidationResult.Accept,
            GossipVerdict.Ignore => ValidationResult.Ignore,
            _ => ValidationResult.Reject,
        }));
        lock (_pumps)
        {
            _pumps.Add(Task.Run(() => PumpAsync(router, topic, deliver, _stopping.Token)));
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (p2p.Gossip is { } router)
        {
            await router.PublishAsync(topic, data, cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops handing messages to the witness; registered so that it stops before the witness does.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task PumpAsync(GossipsubRouter router, string topic, Func<GossipDelivery, CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        try
        {
            await using var subscription = await router.SubscribeAsync(topic, cancellationToken);
            await foreach (var message in subscription.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await deliver(new GossipDelivery(topic, message.Data, message.ReceivedFrom.ToString()), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One message that fails in the slow path (a store hiccup, a source that is down) must
                    // not end the topic: it is logged and the next message is handled.
                    LogDeliveryFailed(logger, topic, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
        catch (ObjectDisposedException)
        {
            // The router was disposed first.
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Handling a message on {Topic} failed")]
    private static partial void LogDeliveryFailed(ILogger logger, string topic, Exception exception);
}
