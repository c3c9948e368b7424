// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Relay;

/// <summary>How a relayed connection ended.</summary>
public enum CircuitEnd
{
    /// <summary>Both sides closed their write half.</summary>
    Closed,

    /// <summary>A direction reached the data limit; both streams were reset.</summary>
    DataLimit,

    /// <summary>The duration limit passed; both streams were reset.</summary>
    DurationLimit,

    /// <summary>A stream failed or the relay stopped.</summary>
    Failed,
}

/// <summary>
/// Joins the initiator's hop stream and the target's stop stream, copying each direction through a 16 KiB buffer.
/// At most <c>dataLimit</c> bytes pass per direction and the bridge lives at most <c>duration</c>; then both
/// streams are reset, which ends the relayed connection for both ends (they see the limit in the hop and stop
/// messages). A half-close is passed on, so request/response protocols finish cleanly.
/// </summary>
internal static class CircuitBridge
{
    private const int BufferSize = 16 * 1024;

    public static async Task<(CircuitEnd End, long Up, long Down)> RunAsync(YamuxStream initiator, YamuxStream target, ulong dataLimit, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration > TimeSpan.Zero)
        {
            cts.CancelAfter(duration);
        }

        var up = PumpAsync(initiator, target, dataLimit, cts.Token);
        var down = PumpAsync(target, initiator, dataLimit, cts.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        var end = first.Result.End;
        if (end == CircuitEnd.Closed)
        {
            var second = up == first ? down : up;
            end = (await second.ConfigureAwait(false)).End;
        }

        if (end != CircuitEnd.Closed)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            initiator.Reset();
            target.Reset();
            await Task.WhenAll(up, down).ConfigureAwait(false);
            if (end == CircuitEnd.DurationLimit && cancellationToken.IsCancellationRequested)
            {
                end = CircuitEnd.Failed;
            }
        }

        return (end, up.Result.Bytes, down.Result.Bytes);
    }

    private static async Task<(CircuitEnd End, long Bytes)> PumpAsync(YamuxStream from, YamuxStream to, ulong limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    await to.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
                    return (CircuitEnd.Closed, total);
                }

                if (limit != 0 && (ulong)(total + n) > limit)
                {
                    var allowed = (int)((long)limit - total);
                    await to.WriteAsync(buffer.AsMemory(0, allowed), cancellationToken).ConfigureAwait(false);
                    return (CircuitEnd.DataLimit, total + allowed);
                }

                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                total += n;
            }
        }
        catch (OperationCanceledException)
        {
            // The bridge's token: the duration passed (or the relay is stopping, which RunAsync tells apart).
            return (CircuitEnd.DurationLimit, total);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return (CircuitEnd.Failed, total);
        }
    }
}
