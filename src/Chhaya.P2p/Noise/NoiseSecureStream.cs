// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Noise;

/// <summary>
/// The Noise transport phase as a duplex <see cref="Stream"/>: writes are cut into frames of at most
/// 65519 plaintext bytes, encrypted and sent in one write; reads decrypt one frame at a time from a
/// <see cref="PipeReader"/> over the socket. One reader and one writer may run at the same time.
/// </summary>
internal sealed class NoiseSecureStream : Stream
{
    private readonly Stream _inner;
    private readonly PipeReader _reader;
    private readonly NoiseCipherState _send;
    private readonly NoiseCipherState _receive;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _plain = new byte[NoiseFrame.MaxMessage];
    private readonly Action<long>? _onBytesRead;
    private readonly Action<long>? _onBytesWritten;
    private int _plainStart;
    private int _plainEnd;
    private int _disposed;

    public NoiseSecureStream(Stream inner, NoiseCipherState send, NoiseCipherState receive, Action<long>? onBytesRead = null, Action<long>? onBytesWritten = null)
    {
        _inner = inner;
        _reader = PipeReader.Create(inner, new StreamPipeReaderOptions(bufferSize: 128 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        _send = send;
        _receive = receive;
        _onBytesRead = onBytesRead;
        _onBytesWritten = onBytesWritten;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainEnd == _plainStart)
        {
            if (!await ReadFrameAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, n).CopyTo(buffer.Span);
        _plainStart += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var frames = (buffer.Length + NoiseFrame.MaxPlaintext - 1) / NoiseFrame.MaxPlaintext;
        var total = buffer.Length + (frames * (NoiseFrame.HeaderSize + NoiseCipherState.TagSize));
        var output = ArrayPool<byte>.Shared.Rent(total);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var pos = 0;
            var source = buffer.Span;
            while (source.Length > 0)
            {
                var chunk = source[..Math.Min(source.Length, NoiseFrame.MaxPlaintext)];
                var n = _send.EncryptWithAd(ReadOnlySpan<byte>.Empty, chunk, output.AsSpan(pos + NoiseFrame.HeaderSize));
                BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(pos), (ushort)n);
                pos += NoiseFrame.HeaderSize + n;
                source = source[chunk.Length..];
            }

            await _inner.WriteAsync(output.AsMemory(0, pos), cancellationToken).ConfigureAwait(false);
            _onBytesWritten?.Invoke(pos);
        }
        finally
        {
            _writeLock.Release();
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _inner.DisposeAsync().ConfigureAwait(false);
            _send.Dispose();
            _receive.Dispose();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _reader.Complete();
            _inner.Dispose();
            _send.Dispose();
            _receive.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads and decrypts one frame into the plaintext buffer; false at a clean end of stream.</summary>
    private async ValueTask<bool> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var input = result.Buffer;
            var status = NoiseFrame.TryRead(input, out var body, out var next);
            if (status == DecodeStatus.Done)
            {
                var length = (int)body.Length;
                _plainStart = 0;
                if (body.IsSingleSegment)
                {
                    _plainEnd = _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, body.FirstSpan, _plain);
                }
                else
                {
                    var tmp = ArrayPool<byte>.Shared.Rent(length);
                    try
                    {
                        body.CopyTo(tmp);
                        _plainEnd = _receive.DecryptWithAd(ReadOnlySpan<byte>.Empty, tmp.AsSpan(0, length), _plain);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(tmp);
                    }
                }

                _reader.AdvanceTo(next);
                _onBytesRead?.Invoke(length + NoiseFrame.HeaderSize);
                return true;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                _reader.AdvanceTo(input.End);
                if (input.Length == 0)
                {
                    return false;
                }

                throw new MalformedInputException("connection ended inside a Noise frame");
            }

            _reader.AdvanceTo(input.Start, input.End);
        }
    }
}
