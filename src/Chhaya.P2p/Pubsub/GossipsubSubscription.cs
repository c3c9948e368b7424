// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Threading.Channels;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// One local subscription to a topic: accepted messages arrive on <see cref="Messages"/>. The buffer is bounded;
/// when the reader falls behind, newer messages are dropped (and counted) rather than growing memory. Disposing
/// the last subscription of a topic leaves it.
/// </summary>
public sealed class GossipsubSubscription : IAsyncDisposable
{
    private readonly Channel<ReceivedMessage> _channel;
    private readonly GossipsubRouter _router;
    private int _disposed;

    internal GossipsubSubscription(GossipsubRouter router, string topic, int capacity)
    {
        _router = router;
        Topic = topic;
        _channel = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public string Topic { get; }

    public ChannelReader<ReceivedMessage> Messages => _channel.Reader;

    /// <summary>Messages dropped because this subscription's buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    public IAsyncEnumerable<ReceivedMessage> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _router.Unsubscribe(this);
            _channel.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    internal bool TryDeliver(ReceivedMessage message)
    {
        if (_channel.Writer.TryWrite(message))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    internal void Complete() => _channel.Writer.TryComplete();
}
