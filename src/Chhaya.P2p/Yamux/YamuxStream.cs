// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.IO.Pipelines;

namespace Chhaya.P2p.Yamux;

/// <summary>
/// One Yamux stream as a duplex <see cref="Stream"/>. Received data sits in a <see cref="Pipe"/> that can never
/// hold more than the receive window, because the session drops a peer that sends past it. Consumed bytes are
/// credited back with a window update once half the window is used; when that half was used in less than four
/// round trips the window doubles (auto-tuning, bounded per stream and by the session budget). Writes wait for send window
/// (backpressure) and are split into frames of at most <see cref="YamuxOptions.MaxFrameData"/> bytes.
/// Disposing half-closes with FIN; <see cref="Reset"/> aborts with RST.
/// </summary>
public sealed class YamuxStream : Stream
{
    private readonly YamuxSession _session;
    private readonly Pipe _inbound = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false));
    private readonly SemaphoreSlim _windowSignal = new(0, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly int _initialTarget;
    private long _windowTarget;
    private long _epochStart = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _receiveWindow;
    private long _unannounced;
    private long _sendWindow = YamuxOptions.InitialWindow;
    private bool _localClosed;
    private bool _remoteClosed;
    private bool _reset;
    private bool _removed;
    private int _disposed;

    internal YamuxStream(YamuxSession session, uint id, bool inbound, int receiveWindow)
    {
        _session = session;
        Id = id;
        IsInbound = inbound;
        _initialTarget = receiveWindow;
        _windowTarget = receiveWindow;

        // The peer starts with the spec's 256 KiB; a larger window is announced by the first window update.
        _receiveWindow = YamuxOptions.InitialWindow;
    }

    public uint Id { get; }

    public bool IsInbound { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Window delta to announce on SYN/ACK so the peer may send up to the configured window.</summary>
    internal uint InitialWindowDelta()
    {
        lock (_lock)
        {
            var delta = Math.Max(0, _initialTarget - YamuxOptions.InitialWindow);
            _receiveWindow += delta;
            return (uint)delta;
        }
    }

    /// <summary>The receive window the peer is granted on this stream: the configured one, or more once auto-tuning grew it.</summary>
    public long ReceiveWindow
    {
        get
        {
            lock (_lock)
            {
                return _windowTarget;
            }
        }
    }

    /// <summary>Window granted beyond the initial one, which the session budget accounts for.</summary>
    internal long WindowGrowth
    {
        get
        {
            lock (_lock)
            {
                return _windowTarget - _initialTarget;
            }
        }
    }

    /// <summary>How much more the peer may send right now.</summary>
    internal long ReceiveWindowRemaining
    {
        get
        {
            lock (_lock)
            {
                return _receiveWindow;
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        var result = await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var data = result.Buffer;
        if (data.IsEmpty && result.IsCompleted)
        {
            _inbound.Reader.AdvanceTo(data.End);
            return 0;
        }

        var n = (int)Math.Min(buffer.Length, data.Length);
        data.Slice(0, n).CopyTo(buffer.Span);
        _inbound.Reader.AdvanceTo(data.GetPosition(n));
        await CreditAsync(n, cancellationToken).ConfigureAwait(false);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (buffer.Length > 0)
            {
                int chunk;
                while (true)
                {
                    lock (_lock)
                    {
                        ThrowIfUnwritable();
                        if (_sendWindow > 0)
                        {
                            chunk = (int)Math.Min(Math.Min(buffer.Length, _sendWindow), _session.Options.MaxFrameData);
                            _sendWindow -= chunk;
                            break;
                        }
                    }

                    // Backpressure: wait for the peer's window update (or a reset/close, which also signals).
                    await _windowSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                await _session.SendFrameAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.None, Id, (uint)chunk), buffer[..chunk], cancellationToken).ConfigureAwait(false);
                buffer = buffer[chunk..];
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Half-closes: sends FIN; reads still work until the peer closes its side.</summary>
    public async Task CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_localClosed || _reset)
            {
                return;
            }

            _localClosed = true;
        }

        await _session.SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Fin, Id, 0), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        MaybeRemove();
    }

    /// <summary>Aborts the stream in both directions with RST.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            if (_reset)
            {
                return;
            }

            _reset = true;
        }

        _session.SendResetBestEffort(Id);
        Abort(new IOException("stream was reset locally"));
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await CloseCoreAsync().ConfigureAwait(false);

        // Runs Dispose(true), which finds the stream already closed.
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseCoreAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async ValueTask CloseCoreAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await CloseWriteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The session is already gone; nothing to tell the peer.
        }

        await _inbound.Reader.CompleteAsync().ConfigureAwait(false);
        _session.ScheduleLinger(this);
    }

    /// <summary>Called by the session's read loop with a data frame's body.</summary>
    internal async ValueTask OnDataAsync(ReadOnlySequence<byte> body)
    {
        lock (_lock)
        {
            if (body.Length > _receiveWindow)
            {
                throw new YamuxProtocolException($"peer sent {body.Length} bytes on stream {Id} with only {_receiveWindow} bytes of window");
            }

            _receiveWindow -= body.Length;
            if (_remoteClosed || _reset)
            {
                // Data after FIN/RST is dropped; the window accounting above still bounds it.
                return;
            }
        }

        foreach (var segment in body)
        {
            _inbound.Writer.Write(segment.Span);
        }

        await _inbound.Writer.FlushAsync().ConfigureAwait(false);
    }

    internal void OnWindowUpdate(uint delta)
    {
        lock (_lock)
        {
            if (_sendWindow + delta > uint.MaxValue)
            {
                throw new YamuxProtocolException($"window update overflows the send window of stream {Id}");
            }

            _sendWindow += delta;
            if (delta > 0 && _windowSignal.CurrentCount == 0)
            {
                _windowSignal.Release();
            }
        }
    }

    internal void OnRemoteFin()
    {
        lock (_lock)
        {
            if (_remoteClosed)
            {
                return;
            }

            _remoteClosed = true;
        }

        _inbound.Writer.Complete();
        MaybeRemove();
    }

    internal void OnRemoteReset()
    {
        lock (_lock)
        {
            if (_reset)
            {
                return;
            }

            _reset = true;
        }

        Abort(new IOException("stream was reset by the peer"));
    }

    /// <summary>Fails pending and future reads and writes, and leaves the session's table.</summary>
    internal void Abort(Exception reason)
    {
        lock (_lock)
        {
            _reset = true;
            if (_windowSignal.CurrentCount == 0)
            {
                _windowSignal.Release();
            }
        }

        _inbound.Writer.Complete(reason);
        MaybeRemove();
    }

    internal bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _reset || (_localClosed && _remoteClosed);
            }
        }
    }

    private void MaybeRemove()
    {
        lock (_lock)
        {
            if (_removed || !(_reset || (_localClosed && _remoteClosed)))
            {
                return;
            }

            _removed = true;
        }

        _session.RemoveStream(this);
    }

    /// <summary>
    /// Auto-tuning, called under the lock when a window update is due (go-yamux's rule): if half the window was
    /// used in less than four round trips since the last update, the window limits the peer more than the path
    /// does, so it doubles, up to the per-stream maximum and only with room in the session budget. Returns the
    /// extra window to announce with the update.
    /// </summary>
    private long Grow()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var epoch = now - _epochStart;
        _epochStart = now;
        var options = _session.Options;
        if (!options.AutoTuneReceiveWindow || _windowTarget >= options.MaxReceiveWindow)
        {
            return 0;
        }

        var rtt = _session.RoundTripTicksForTuning();
        if (rtt == 0 || epoch >= 4 * rtt)
        {
            return 0;
        }

        var growth = Math.Min(_windowTarget * 2, options.MaxReceiveWindow) - _windowTarget;
        if (!_session.TryReserveGrowth(growth))
        {
            return 0;
        }

        _windowTarget += growth;
        return growth;
    }

    private void ThrowIfUnwritable()
    {
        if (_reset)
        {
            throw new IOException($"stream {Id} was reset");
        }

        if (_localClosed)
        {
            throw new IOException($"stream {Id} is closed for writing");
        }
    }

    private async ValueTask CreditAsync(int consumed, CancellationToken cancellationToken)
    {
        uint delta;
        lock (_lock)
        {
            _unannounced += consumed;
            if (_unannounced < _windowTarget / 2 || _reset || _remoteClosed)
            {
                return;
            }

            var growth = Grow();
            delta = (uint)(_unannounced + growth);
            _unannounced = 0;
            _receiveWindow += delta;
        }

        await _session.SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.None, Id, delta), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }
}
