// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Multistream;

/// <summary>
/// multistream-select 1.0 (libp2p specs, <c>connections/README.md</c> "Protocol Negotiation"): each message is a
/// varint length, then UTF-8 text ending in <c>\n</c>. Both sides start with <c>/multistream/1.0.0</c>; the dialer
/// proposes protocols one at a time and the listener echoes one it supports or answers <c>na</c>.
/// The dialer sends its header first together with its first proposal; as js-libp2p does, the listener answers
/// only after it has read the dialer's header. Messages are read byte-exactly, so nothing that follows the
/// negotiation (the Noise handshake, application data) is consumed here.
/// </summary>
public static class MultistreamSelect
{
    public const string ProtocolId = "/multistream/1.0.0";
    public const string NotAvailable = "na";

    /// <summary>Longest message accepted, including the newline (go-libp2p uses the same 1 KiB bound).</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>How many proposals a listener answers before it gives up on the dialer.</summary>
    public const int MaxProposals = 16;

    /// <summary>Encodes one message: varint length, text, newline.</summary>
    public static byte[] Encode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = System.Text.Encoding.UTF8.GetBytes(message + "\n");
        Guard.MaxLength(text.Length, MaxMessageLength, nameof(message));
        var result = new byte[Varint.SizeOf((ulong)text.Length) + text.Length];
        var n = Varint.Write((ulong)text.Length, result);
        text.CopyTo(result, n);
        return result;
    }

    /// <summary>Decodes one message from the start of <paramref name="input"/> (the frame decoder the fuzz target drives).</summary>
    internal static DecodeStatus TryDecode(ReadOnlySpan<byte> input, out string? message, out int consumed)
    {
        message = null;
        consumed = 0;
        var status = Varint.TryRead(input, out var length, out var c);
        if (status != DecodeStatus.Done)
        {
            return status;
        }

        if (length is 0 or > MaxMessageLength)
        {
            return DecodeStatus.Malformed;
        }

        if ((ulong)(input.Length - c) < length)
        {
            return DecodeStatus.NeedMoreData;
        }

        message = ParseBody(input.Slice(c, (int)length));
        if (message is null)
        {
            return DecodeStatus.Malformed;
        }

        consumed = c + (int)length;
        return DecodeStatus.Done;
    }

    /// <summary>Dialer side: proposes <paramref name="protocols"/> in order and returns the one the listener accepted.</summary>
    /// <exception cref="ProtocolNotSupportedException">The listener answered <c>na</c> to every proposal.</exception>
    /// <exception cref="MalformedInputException">The listener broke the protocol.</exception>
    public static async Task<string> SelectAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0)
        {
            throw new ArgumentException("at least one protocol is needed", nameof(protocols));
        }

        // Header and first proposal in one write: one round trip in the common case.
        var first = Concat(Encode(ProtocolId), Encode(protocols[0]));
        await stream.WriteAsync(first, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var header = await ReadMessageAsync(stream, cancellationToken).ConfigureAwait(false);
        if (header != ProtocolId)
        {
            throw new MalformedInputException($"peer does not speak {ProtocolId} (it sent '{Printable(header)}')");
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (i > 0)
            {
                await stream.WriteAsync(Encode(protocols[i]), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var answer = await ReadMessageAsync(stream, cancellationToken).ConfigureAwait(false);
            if (answer == protocols[i])
            {
                return answer;
            }

            if (answer != NotAvailable)
            {
                throw new MalformedInputException($"peer answered '{Printable(answer)}' to a proposal of '{protocols[i]}'");
            }
        }

        throw new ProtocolNotSupportedException(protocols);
    }

    /// <summary>
    /// Listener side: reads the dialer's header and proposals, answers <c>na</c> to unsupported ones and returns
    /// the first supported one, or null when the dialer closes the stream or exhausts <see cref="MaxProposals"/>.
    /// </summary>
    /// <exception cref="MalformedInputException">The dialer broke the protocol.</exception>
    public static async Task<string?> ListenAsync(Stream stream, Func<string, bool> isSupported, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(isSupported);
        var header = await ReadMessageAsync(stream, cancellationToken, allowEnd: true).ConfigureAwait(false);
        if (header is null)
        {
            return null;
        }

        if (header != ProtocolId)
        {
            throw new MalformedInputException($"peer does not speak {ProtocolId} (it sent '{Printable(header)}')");
        }

        await stream.WriteAsync(Encode(ProtocolId), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < MaxProposals; i++)
        {
            var proposal = await ReadMessageAsync(stream, cancellationToken, allowEnd: true).ConfigureAwait(false);
            if (proposal is null)
            {
                return null;
            }

            if (proposal.StartsWith('/') && isSupported(proposal))
            {
                await stream.WriteAsync(Encode(proposal), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                return proposal;
            }

            // "ls" and unknown protocols both get "na": Chhaya does not list its protocols here (identify does).
            await stream.WriteAsync(Encode(NotAvailable), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Reads one message byte-exactly.</summary>
    internal static async Task<string?> ReadMessageAsync(Stream stream, CancellationToken cancellationToken, bool allowEnd = false)
    {
        var length = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            if (allowEnd)
            {
                return null;
            }

            throw new MalformedInputException("stream ended during protocol negotiation");
        }

        if (length is 0 or > MaxMessageLength)
        {
            throw new MalformedInputException($"multistream message length {length} is outside 1..{MaxMessageLength}");
        }

        var body = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            try
            {
                await stream.ReadExactlyAsync(body.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new MalformedInputException("stream ended inside a multistream message", e);
            }

            return ParseBody(body.AsSpan(0, (int)length))
                ?? throw new MalformedInputException("multistream message is not newline-terminated UTF-8 text");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private static string? ParseBody(ReadOnlySpan<byte> body)
    {
        // Spec: the text ends in exactly one newline and holds no other.
        if (body.Length == 0 || body[^1] != (byte)'\n' || body[..^1].Contains((byte)'\n'))
        {
            return null;
        }

        try
        {
            return Utf8Strict.Decode(body[..^1]);
        }
        catch (MalformedInputException)
        {
            return null;
        }
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    private static string Printable(string? s) =>
        s is null ? "" : new string(s.Take(64).Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());
}
