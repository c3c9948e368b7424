// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>
/// The shared request loop's admission: a burst beyond the concurrency limit waits in a short queue and is
/// answered in turn; beyond the queue, or past the wait, it is told the server is busy. Over real libp2p.
/// </summary>
public sealed class RequestResponseServerTests : IAsyncLifetime, IDisposable
{
    private const string Protocol = "/chhaya/test/echo/1.0.0";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly Libp2pHost _server = NewHost();
    private readonly Libp2pHost _client = NewHost();
    private Libp2pConnection _connection = null!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync(_timeout.Token);
        await _client.StartAsync(_timeout.Token);
        _connection = await _client.DialAsync(_server.ListenAddresses[0].WithPeerId(_server.PeerId), _timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose() => _timeout.Dispose();

    private static Libp2pHost NewHost() => new(new Libp2pHostOptions
    {
        Identity = Ed25519Identity.Generate(),
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
    });

    [Fact]
    public async Task A_burst_waits_for_a_turn_and_only_requests_beyond_the_queue_are_busy()
    {
        using var server = new GatedEchoServer(maxConcurrent: 1, maxQueued: 1, queueWait: TimeSpan.FromSeconds(30));
        server.Register(_server.Router);

        var first = AskAsync(1);
        await server.Entered.Task.WaitAsync(_timeout.Token);
        var second = AskAsync(2);
        await WaitUntilAsync(() => server.QueuedRequests == 1);

        // The queue is full: a third is refused at once, while the first two are still pending.
        Assert.Equal(GatedEchoServer.BusyByte, await AskAsync(3));
        Assert.False(first.IsCompleted || second.IsCompleted);

        server.Gate.SetResult();
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        Assert.Equal(0, server.QueuedRequests);
    }

    [Fact]
    public async Task A_request_that_waits_longer_than_the_queue_wait_is_told_the_server_is_busy()
    {
        using var server = new GatedEchoServer(maxConcurrent: 1, maxQueued: 4, queueWait: TimeSpan.FromMilliseconds(200));
        server.Register(_server.Router);

        var first = AskAsync(1);
        await server.Entered.Task.WaitAsync(_timeout.Token);
        Assert.Equal(GatedEchoServer.BusyByte, await AskAsync(2));

        server.Gate.SetResult();
        Assert.Equal(1, await first);
        Assert.Equal(5, await AskAsync(5));
    }

    private async Task<byte> AskAsync(byte value)
    {
        var stream = await _client.OpenStreamAsync(_connection, [Protocol], _timeout.Token);
        await using (stream)
        {
            await DirectoryProtocol.WriteMessageAsync(stream.Stream, new byte[] { value }, _timeout.Token);
            await stream.Stream.CloseWriteAsync(_timeout.Token);
            return Assert.Single(await DirectoryProtocol.ReadMessageAsync(stream.Stream, 16, _timeout.Token));
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20, _timeout.Token);
        }

        Assert.True(condition());
    }

    /// <summary>Echoes the one-byte request once <see cref="Gate"/> opens; busy is the byte 0xBB.</summary>
    private sealed class GatedEchoServer(int maxConcurrent, int maxQueued, TimeSpan queueWait)
        : RequestResponseServer(Protocol, 16, NullLogger.Instance, maxConcurrent, TimeSpan.FromSeconds(50), maxQueued, queueWait)
    {
        public const byte BusyByte = 0xBB;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<byte[]> AnswerAsync(byte[] request, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            return request;
        }

        protected override byte[] Busy(string reason) => [BusyByte];

        protected override byte[] Refusal(string reason) => [0xEE];
    }
}
