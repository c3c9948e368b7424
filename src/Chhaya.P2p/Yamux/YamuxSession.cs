// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Chhaya.P2p.Encoding;

namespace Chhaya.P2p.Yamux;

/// <summary>
/// A Yamux 1.0.0 session (hashicorp/yamux <c>spec.md</c>, as libp2p uses it in <c>yamux/README.md</c>) over a
/// secure duplex stream. The client (dialer) uses odd stream ids, the server even ones. One read loop parses
/// frames from a <see cref="PipeReader"/>; frame writes are serialized by a lock. Every peer-controlled quantity is
/// bounded: data frames by the stream's receive window (checked before the body is buffered), concurrent inbound
/// streams by <see cref="YamuxOptions.MaxInboundStreams"/> (excess SYNs get RST, a flood of them ends the session),
/// and window updates by overflow checks. Any violation closes the session with GoAway(protocol error).
/// </summary>
public sealed class YamuxSession : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly PipeReader _reader;
    private readonly bool _isClient;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly Channel<YamuxStream> _accepted = Channel.CreateUnbounded<YamuxStream>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly ConcurrentDictionary<uint, TaskCompletionSource> _pings = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _growthBudget;
    private long _grown;
    private long _rttTicks;
    private int _rttProbeStarted;
    private uint _nextStreamId;
    private uint _nextPingId;
    private int _inbound;
    private int _outbound;
    private int _refusedInARow;
    private bool _goAwaySent;
    private bool _remoteGoAway;
    private int _closed;

    public YamuxSession(Stream transport, bool isClient, YamuxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _isClient = isClient;
        Options = options ?? new YamuxOptions();
        _growthBudget = Options.AutoTuneReceiveWindow ? Math.Max(0, Options.MaxSessionReceiveWindow - Options.SlotReserve) : 0;
        _nextStreamId = isClient ? 1u : 2u;
        _reader = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
    }

    public YamuxOptions Options { get; }

    /// <summary>Completes when the session ends, with the reason (null for a clean close).</summary>
    public Task<Exception?> Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Streams currently open in either direction.</summary>
    public int StreamCount
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Inbound SYNs refused because of the stream limit.</summary>
    public long RefusedStreams { get; private set; }

    /// <summary>Receive window granted to open streams beyond their initial <see cref="YamuxOptions.ReceiveWindow"/> (auto-tuning).</summary>
    public long ReceiveWindowGrowth => Volatile.Read(ref _grown);

    /// <summary>How much receive window auto-tuning may hand out in this session: the budget less the slots' reserve.</summary>
    public long ReceiveWindowGrowthBudget => _growthBudget;

    /// <summary>The smoothed Yamux ping round-trip time, or null before the first ping was answered.</summary>
    public TimeSpan? RoundTripTime
    {
        get
        {
            var ticks = Volatile.Read(ref _rttTicks);
            return ticks == 0 ? null : Stopwatch.GetElapsedTime(0, ticks);
        }
    }

    /// <summary>Starts the read loop (and the keep-alive pings, when configured).</summary>
    public void Start()
    {
        _ = Task.Run(ReadLoopAsync);
        if (Options.KeepAliveInterval > TimeSpan.Zero)
        {
            _ = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>Opens a stream: sends SYN (in a window update) without waiting for the ACK.</summary>
    /// <exception cref="IOException">The session is closed, going away, or at its outbound stream limit.</exception>
    public async Task<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        YamuxStream stream;
        lock (_lock)
        {
            if (IsClosed || _goAwaySent || _remoteGoAway)
            {
                throw new IOException("Yamux session is closed or going away");
            }

            if (_outbound >= Options.MaxOutboundStreams)
            {
                throw new IOException($"Yamux session already has {_outbound} outbound streams");
            }

            if (_nextStreamId > uint.MaxValue - 2)
            {
                throw new IOException("Yamux stream ids are exhausted");
            }

            stream = new YamuxStream(this, _nextStreamId, inbound: false, Options.ReceiveWindow);
            _nextStreamId += 2;
            _streams.Add(stream.Id, stream);
            _outbound++;
        }

        await SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Syn, stream.Id, stream.InitialWindowDelta()), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Waits for the next stream the peer opens.</summary>
    /// <exception cref="ChannelClosedException">The session ended.</exception>
    public ValueTask<YamuxStream> AcceptStreamAsync(CancellationToken cancellationToken = default) =>
        _accepted.Reader.ReadAsync(cancellationToken);

    /// <summary>Waits until an inbound stream is ready; false once the session has ended.</summary>
    public ValueTask<bool> WaitForStreamAsync(CancellationToken cancellationToken = default) =>
        _accepted.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes a ready inbound stream, if there is one.</summary>
    public bool TryAcceptStream(out YamuxStream? stream) => _accepted.Reader.TryRead(out stream);

    /// <summary>Sends a Yamux ping and returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextPingId);
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = tcs;
        try
        {
            var start = Stopwatch.GetTimestamp();
            await SendFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlagBits.Syn, 0, id), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            RecordRoundTrip(end - start);
            return Stopwatch.GetElapsedTime(start, end);
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    /// <summary>Sends GoAway and closes the transport; open streams fail.</summary>
    public async Task CloseAsync(YamuxGoAwayCode code = YamuxGoAwayCode.Normal)
    {
        if (!IsClosed)
        {
            try
            {
                lock (_lock)
                {
                    _goAwaySent = true;
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendFrameAsync(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlagBits.None, 0, (uint)code), ReadOnlyMemory<byte>.Empty, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The transport is already broken; closing it below is all that is left.
            }
        }

        await TerminateAsync(code == YamuxGoAwayCode.Normal ? null : new IOException($"session closed with {code}")).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    internal async ValueTask SendFrameAsync(YamuxHeader header, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!await TrySendFrameAsync(header, data, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("Yamux session is closed");
        }
    }

    /// <summary>Sends one frame; false (rather than an exception) when the session has already closed.</summary>
    private async ValueTask<bool> TrySendFrameAsync(YamuxHeader header, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            return false;
        }

        var frame = ArrayPool<byte>.Shared.Rent(YamuxHeader.Size + data.Length);
        try
        {
            header.Write(frame);
            data.Span.CopyTo(frame.AsSpan(YamuxHeader.Size));
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (IsClosed)
                {
                    return false;
                }

                await _transport.WriteAsync(frame.AsMemory(0, YamuxHeader.Size + data.Length), cancellationToken).ConfigureAwait(false);
                return true;
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// The round trip that window auto-tuning compares against, in <see cref="Stopwatch"/> ticks; 0 while unknown.
    /// The first call starts one ping to measure it (only sessions that move enough data to need a window update
    /// pay for it); keep-alive pings and <see cref="PingAsync"/> refresh it later.
    /// </summary>
    internal long RoundTripTicksForTuning()
    {
        var ticks = Volatile.Read(ref _rttTicks);
        if (ticks == 0 && Interlocked.Exchange(ref _rttProbeStarted, 1) == 0)
        {
            _ = Task.Run(ProbeRoundTripAsync);
        }

        return ticks;
    }

    /// <summary>Takes <paramref name="bytes"/> of window growth from the session budget; false when it would be exceeded.</summary>
    internal bool TryReserveGrowth(long bytes)
    {
        while (true)
        {
            var current = Volatile.Read(ref _grown);
            if (current + bytes > _growthBudget)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _grown, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>For tests: the round trip auto-tuning uses, as if a ping had measured it.</summary>
    internal void SetRoundTripTime(TimeSpan rtt)
    {
        Interlocked.Exchange(ref _rttProbeStarted, 1);
        Volatile.Write(ref _rttTicks, Math.Max(1, (long)(rtt.TotalSeconds * Stopwatch.Frequency)));
    }

    internal void SendResetBestEffort(uint id) => _ = SendQuietlyAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Rst, id, 0));

    internal void RemoveStream(YamuxStream stream)
    {
        lock (_lock)
        {
            if (_streams.Remove(stream.Id))
            {
                Interlocked.Add(ref _grown, -stream.WindowGrowth);
                if (stream.IsInbound)
                {
                    _inbound--;
                }
                else
                {
                    _outbound--;
                }
            }
        }
    }

    /// <summary>A locally disposed stream whose peer never sends FIN is reset after the linger time.</summary>
    internal void ScheduleLinger(YamuxStream stream)
    {
        if (stream.IsFinished)
        {
            return;
        }

        _ = Task.Delay(Options.CloseLinger, _closing.Token).ContinueWith(
            t =>
            {
                if (!t.IsCanceled && !stream.IsFinished)
                {
                    stream.Reset();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        ReadOnlySequence<byte>? unconsumed = null;
        try
        {
            while (true)
            {
                // Not cancelled by token: TerminateAsync calls CancelPendingRead, which ends the wait without an exception.
                var result = await _reader.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled || IsClosed)
                {
                    break;
                }

                var buffer = result.Buffer;
                unconsumed = buffer;
                while (true)
                {
                    var frame = await TryProcessFrameAsync(buffer).ConfigureAwait(false);
                    if (frame is null)
                    {
                        break;
                    }

                    buffer = buffer.Slice(frame.Value);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                unconsumed = null;
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        failure = new YamuxProtocolException("connection ended inside a Yamux frame");
                    }

                    break;
                }
            }
        }
        catch (YamuxProtocolException e)
        {
            failure = e;
            await SendQuietlyAsync(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlagBits.None, 0, (uint)YamuxGoAwayCode.ProtocolError)).ConfigureAwait(false);
            if (unconsumed is { } rest)
            {
                _reader.AdvanceTo(rest.End);
            }

            await DiscardPendingInputAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed locally.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or Chhaya.Safety.MalformedInputException or InvalidOperationException)
        {
            // Transport failure (including Noise authentication failures, which surface as MalformedInputException).
            failure = e;
        }

        await TerminateAsync(failure).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and drops what the peer already sent, for a short bounded time and amount, before the socket is closed.
    /// Closing a TCP socket with unread input makes the kernel send RST, and an RST can destroy the GoAway that is
    /// still in the peer's receive buffer, so the peer would never learn why it was dropped.
    /// </summary>
    private async Task DiscardPendingInputAsync()
    {
        const long MaxDiscardedBytes = 1 << 20;
        long discarded = 0;
        using var linger = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            while (discarded < MaxDiscardedBytes)
            {
                var result = await _reader.ReadAsync(linger.Token).ConfigureAwait(false);
                discarded += result.Buffer.Length;
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException or Chhaya.Safety.MalformedInputException or InvalidOperationException)
        {
            // The peer keeps sending, or the transport broke: either way the session is closed next.
        }
    }

    /// <summary>Handles one frame at the start of <paramref name="buffer"/>; returns its size, or null when more input is needed.</summary>
    private async ValueTask<long?> TryProcessFrameAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < YamuxHeader.Size)
        {
            return null;
        }

        Span<byte> raw = stackalloc byte[YamuxHeader.Size];
        buffer.Slice(0, YamuxHeader.Size).CopyTo(raw);
        if (YamuxHeader.TryRead(raw, out var header) != DecodeStatus.Done)
        {
            throw new YamuxProtocolException($"bad Yamux header {Convert.ToHexString(raw)}");
        }

        if (header.Type == YamuxFrameType.Data)
        {
            // Bound the body by the window before waiting for it, so a huge length cannot make us buffer it.
            var allowed = AllowedDataLength(header);
            if (header.Length > allowed)
            {
                throw new YamuxProtocolException($"data frame of {header.Length} bytes on stream {header.StreamId} exceeds its window of {allowed}");
            }

            if (buffer.Length < YamuxHeader.Size + (long)header.Length)
            {
                return null;
            }

            var stream = HandleFlagsBefore(header);
            if (stream is not null)
            {
                await stream.OnDataAsync(buffer.Slice(YamuxHeader.Size, header.Length)).ConfigureAwait(false);
                HandleFlagsAfter(header, stream);
            }

            return YamuxHeader.Size + (long)header.Length;
        }

        switch (header.Type)
        {
            case YamuxFrameType.WindowUpdate:
                {
                    var stream = HandleFlagsBefore(header);
                    if (stream is not null)
                    {
                        stream.OnWindowUpdate(header.Length);
                        HandleFlagsAfter(header, stream);
                    }

                    break;
                }

            case YamuxFrameType.Ping:
                if (header.StreamId != 0)
                {
                    throw new YamuxProtocolException("ping on a non-zero stream id");
                }

                if ((header.Flags & YamuxFlagBits.Syn) != 0)
                {
                    await SendFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlagBits.Ack, 0, header.Length), ReadOnlyMemory<byte>.Empty, _closing.Token).ConfigureAwait(false);
                }
                else if ((header.Flags & YamuxFlagBits.Ack) != 0 && _pings.TryRemove(header.Length, out var pending))
                {
                    pending.TrySetResult();
                }

                break;
            case YamuxFrameType.GoAway:
                lock (_lock)
                {
                    _remoteGoAway = true;
                }

                break;
        }

        return YamuxHeader.Size;
    }

    private long AllowedDataLength(YamuxHeader header)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(header.StreamId, out var stream))
            {
                return stream.ReceiveWindowRemaining;
            }
        }

        // New (SYN) or already forgotten stream: the peer may send at most the initial window.
        return YamuxOptions.InitialWindow;
    }

    /// <summary>Processes SYN/ACK/RST and finds the stream; null when the frame is for a stream we no longer track.</summary>
    private YamuxStream? HandleFlagsBefore(YamuxHeader header)
    {
        if ((header.Flags & YamuxFlagBits.Syn) != 0)
        {
            return AcceptSyn(header);
        }

        YamuxStream? stream;
        lock (_lock)
        {
            _streams.TryGetValue(header.StreamId, out stream);
        }

        if (stream is null)
        {
            // Frames for a stream we already closed and forgot are harmless: drop them (the spec allows races).
            return null;
        }

        if ((header.Flags & YamuxFlagBits.Rst) != 0)
        {
            stream.OnRemoteReset();
            return null;
        }

        return stream;
    }

    private static void HandleFlagsAfter(YamuxHeader header, YamuxStream stream)
    {
        if ((header.Flags & YamuxFlagBits.Fin) != 0)
        {
            stream.OnRemoteFin();
        }
    }

    private YamuxStream? AcceptSyn(YamuxHeader header)
    {
        var id = header.StreamId;
        var peerIsOdd = !_isClient;
        if (id == 0 || ((id & 1) == 1) != peerIsOdd)
        {
            throw new YamuxProtocolException($"peer opened stream {id}, which is not in its id space");
        }

        YamuxStream stream;
        lock (_lock)
        {
            if (_streams.ContainsKey(id))
            {
                throw new YamuxProtocolException($"peer opened stream {id} twice");
            }

            if (_goAwaySent || _inbound >= Options.MaxInboundStreams)
            {
                RefusedStreams++;
                if (++_refusedInARow > Options.MaxRefusedStreams)
                {
                    throw new YamuxProtocolException($"peer kept opening streams past the limit of {Options.MaxInboundStreams}");
                }

                stream = null!;
            }
            else
            {
                _refusedInARow = 0;
                stream = new YamuxStream(this, id, inbound: true, Options.ReceiveWindow);
                _streams.Add(id, stream);
                _inbound++;
            }
        }

        if (stream is null)
        {
            SendResetBestEffort(id);
            return null;
        }

        _ = SendQuietlyAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Ack, id, stream.InitialWindowDelta()));
        _accepted.Writer.TryWrite(stream);
        return stream;
    }

    /// <summary>Average of the previous estimate and the new sample, as go-yamux keeps it.</summary>
    private void RecordRoundTrip(long ticks)
    {
        ticks = Math.Max(1, ticks);
        while (true)
        {
            var previous = Volatile.Read(ref _rttTicks);
            var next = previous == 0 ? ticks : (previous + ticks) / 2;
            if (Interlocked.CompareExchange(ref _rttTicks, next, previous) == previous)
            {
                return;
            }
        }
    }

    /// <summary>One ping for the first round-trip sample; quiet when the session closes meanwhile.</summary>
    private async Task ProbeRoundTripAsync()
    {
        var id = Interlocked.Increment(ref _nextPingId);
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = tcs;
        try
        {
            var start = Stopwatch.GetTimestamp();
            await SendQuietlyAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlagBits.Syn, 0, id)).ConfigureAwait(false);

            // Suppressed: a close fails the ping, a silent peer times it out; either way there is simply no sample.
            await tcs.Task.WaitAsync(Options.PingTimeout, _closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (tcs.Task.IsCompletedSuccessfully)
            {
                RecordRoundTrip(Stopwatch.GetTimestamp() - start);
            }
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        try
        {
            while (!IsClosed)
            {
                // Ending the wait through cancellation without an exception keeps connection teardown cheap.
                await Task.Delay(Options.KeepAliveInterval, _closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_closing.IsCancellationRequested)
                {
                    return;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                timeout.CancelAfter(Options.PingTimeout);
                try
                {
                    await PingAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_closing.IsCancellationRequested)
                {
                    await TerminateAsync(new TimeoutException("keep-alive ping was not answered")).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session closed.
        }
        catch (IOException)
        {
            // The read loop reports the failure.
        }
    }

    private async Task SendQuietlyAsync(YamuxHeader header)
    {
        try
        {
            if (IsClosed)
            {
                return;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await TrySendFrameAsync(header, ReadOnlyMemory<byte>.Empty, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Best effort: the session is failing anyway.
        }
    }

    private async Task TerminateAsync(Exception? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _reader.CancelPendingRead();
        _accepted.Writer.TryComplete();
        YamuxStream[] open;
        lock (_lock)
        {
            open = [.. _streams.Values];
        }

        foreach (var s in open)
        {
            s.Abort(new IOException("Yamux session closed", reason));
        }

        foreach (var p in _pings.Values)
        {
            p.TrySetException(new IOException("Yamux session closed", reason));
        }

        await _writeLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Already broken.
        }

        _completion.TrySetResult(reason);
    }
}
