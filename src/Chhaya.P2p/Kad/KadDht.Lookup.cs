// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>The outcome of an iterative lookup: the closest peers that answered, closest first.</summary>
internal sealed record LookupResult(IReadOnlyList<PeerId> Closest, int Queried, bool Stopped);

/// <summary>Iterative lookups (spec, "Peer routing" and "Value retrieval").</summary>
public sealed partial class KadDht
{
    private enum CandidateState
    {
        NotQueried,
        Waiting,
        Succeeded,
        Failed,
    }

    /// <summary>
    /// Runs an iterative lookup of <paramref name="key"/>: starts from the k closest peers in our table, keeps alpha
    /// requests in flight to the closest not-yet-queried candidates, merges the closer peers each answer names, and
    /// ends when the k closest candidates that have not failed have all answered, when nothing is left to ask, when
    /// <paramref name="onResponse"/> says stop, or at the bounds (peers queried, <see cref="KadDhtOptions.LookupTimeout"/>).
    /// Timing out is not an error: the result holds what was found.
    /// </summary>
    internal async Task<LookupResult> LookupAsync(byte[] key, KadMessageType type, Func<PeerId, KadMessage, bool>? onResponse, CancellationToken cancellationToken)
    {
        var target = KadId.FromKey(key);
        var started = Stopwatch.GetTimestamp();
        var request = new KadMessage { Type = type, Key = key };
        var k = _options.BucketSize;
        var candidates = new Dictionary<PeerId, (KadId Distance, CandidateState State)>();
        var inflight = new Dictionary<Task<KadMessage?>, PeerId>();
        var queried = 0;
        var stopped = false;

        void Add(PeerId p)
        {
            if (!p.Equals(PeerId) && candidates.Count < _options.MaxPeersPerLookup * 4)
            {
                candidates.TryAdd(p, (KadId.FromPeer(p).Xor(target), CandidateState.NotQueried));
            }
        }

        foreach (var e in RoutingTable.Closest(target, k))
        {
            Add(e.Peer);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        cts.CancelAfter(_options.LookupTimeout);
        try
        {
            while (!stopped && !cts.IsCancellationRequested)
            {
                var live = candidates.Where(c => c.Value.State != CandidateState.Failed).OrderBy(c => c.Value.Distance).Take(k).ToList();
                if (live.All(c => c.Value.State == CandidateState.Succeeded))
                {
                    break;
                }

                foreach (var (peer, (distance, _)) in live.Where(c => c.Value.State == CandidateState.NotQueried))
                {
                    if (inflight.Count >= _options.Alpha || queried >= _options.MaxPeersPerLookup)
                    {
                        break;
                    }

                    candidates[peer] = (distance, CandidateState.Waiting);
                    queried++;
                    inflight[SendAsync(peer, request, cts.Token)] = peer;
                }

                if (inflight.Count == 0)
                {
                    break;
                }

                var done = await Task.WhenAny(inflight.Keys).ConfigureAwait(false);
                var from = inflight[done];
                inflight.Remove(done);
                var dist = candidates[from].Distance;
                KadMessage? response;
                try
                {
                    response = await done.ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    candidates[from] = (dist, CandidateState.Failed);
                    continue;
                }

                candidates[from] = (dist, CandidateState.Succeeded);
                _ = TryAddAnsweringPeerAsync(from);
                foreach (var p in response!.CloserPeers)
                {
                    Learn(p);
                    Add(p.Id);
                }

                if (onResponse?.Invoke(from, response) == true)
                {
                    stopped = true;
                }
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            foreach (var t in inflight.Keys)
            {
                try
                {
                    await t.ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    // Outstanding requests of a finished lookup are abandoned.
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var closest = candidates.Where(c => c.Value.State == CandidateState.Succeeded).OrderBy(c => c.Value.Distance).Take(k).Select(c => c.Key).ToList();
        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.Lookups.Add(1, new KeyValuePair<string, object?>("type", type.ToString()));
        _metrics.LookupDuration.Record(elapsed.TotalSeconds);
        var succeeded = candidates.Count(c => c.Value.State == CandidateState.Succeeded);
        KadLog.LookupDone(_logger, type, queried, succeeded, (long)elapsed.TotalMilliseconds);
        return new LookupResult(closest, queried, stopped);
    }

    /// <summary>A FIND_NODE lookup of a key-space point itself (bucket refresh), using a key that hashes near it.</summary>
    private Task<LookupResult> LookupIdAsync(KadId target, CancellationToken cancellationToken)
    {
        // FIND_NODE keys are hashed by the receiver, so a point cannot be asked for directly; libp2p implementations
        // ask for a random peer id whose hash has the wanted prefix. A few thousand SHA-256s find one for the buckets
        // we refresh (the farthest 16), so this stays cheap.
        var bucket = RoutingTable.BucketOf(target);
        Span<byte> random = stackalloc byte[32];
        for (var i = 0; i < 1 << 16; i++)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(random);
            byte[] candidate = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20, .. random];
            if (RoutingTable.BucketOf(KadId.FromKey(candidate)) == bucket)
            {
                return LookupAsync(candidate, KadMessageType.FindNode, null, cancellationToken);
            }
        }

        return LookupAsync(PeerId.Bytes.ToArray(), KadMessageType.FindNode, null, cancellationToken);
    }

    private async Task TryAddAnsweringPeerAsync(PeerId peer)
    {
        try
        {
            await TryAddPeerAsync(peer, KnownAddresses(peer), _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }
}
