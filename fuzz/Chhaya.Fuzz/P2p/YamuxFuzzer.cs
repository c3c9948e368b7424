// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Yamux;
using Chhaya.Safety;

namespace Chhaya.Fuzz.P2p;

/// <summary>
/// A whole Yamux session (server side) reading the input as its peer's byte stream, with replies discarded.
/// The session must end on its own (at the end of the input) and only with a protocol error, an I/O error or
/// cleanly; any other exception, or a hang past 10 seconds, is a finding.
/// </summary>
public sealed class YamuxFuzzer : IFuzzer
{
    public string Name => "p2p-yamux";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var transport = new ReplayStream(input.ToArray());
        var session = new YamuxSession(transport, isClient: false, new YamuxOptions { KeepAliveInterval = TimeSpan.Zero, MaxInboundStreams = 16, MaxRefusedStreams = 64 });
        session.Start();
        var reason = session.Completion.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (reason is not (null or MalformedInputException or IOException))
        {
            throw new InvalidOperationException("Yamux session ended with an unexpected exception", reason);
        }
    }

    /// <summary>Reads the fuzz input once, then end of stream; swallows writes.</summary>
    private sealed class ReplayStream(byte[] data) : Stream
    {
        private readonly MemoryStream _input = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_input.Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
