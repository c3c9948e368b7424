// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness;
using Chhaya.Witness.Protocol;

namespace Chhaya.Node.Witnessing;

/// <summary>
/// Where a follower gets heads and append-only proofs, over <c>/chhaya/vkd/audit/1.0.0</c>: the directory
/// itself when this node runs it, then the configured sources in order (the host reuses an open connection
/// and dials when there is none), then, when those fail (for a head: when none answered at all), up to <see cref="MaxPeersAsked"/>
/// connected peers whose identify record lists the protocol (witnesses and auditors serve what they
/// verified), in random order so no single peer is always asked first. Every answer is untrusted: heads are
/// checked by <c>acceptHead</c> before they count, and the engine verifies every proof; a peer whose proof
/// failed is not asked again for <see cref="DistrustPeriod"/>.
/// </summary>
/// <param name="host">This node's libp2p host.</param>
/// <param name="directoryId">The directory asked about.</param>
/// <param name="sources">The configured sources (multiaddrs with <c>/p2p/ID</c>).</param>
/// <param name="acceptHead">Whether a head a source answered is worth taking (e.g. its signature verifies); a refused head counts as that source having none.</param>
public sealed class PeerDirectorySource(Libp2pHost host, Digest directoryId, IReadOnlyList<Multiaddr> sources, Func<SignedEpochHead, bool>? acceptHead = null) : IDirectorySource
{
    /// <summary>Most peers beyond the configured sources asked for one head or proof.</summary>
    public const int MaxPeersAsked = 3;

    /// <summary>How long one source may take to answer for a head.</summary>
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long one source may take to answer for a proof (proofs can be megabytes).</summary>
    public static readonly TimeSpan ProofTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a peer that served a failing proof is not asked again.</summary>
    public static readonly TimeSpan DistrustPeriod = TimeSpan.FromHours(1);

    /// <summary>Most distrusted peers remembered; the oldest entry goes first.</summary>
    public const int MaxDistrusted = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, DateTimeOffset> _distrusted = [];
    private PeerId? _lastProofPeer;

    /// <summary>Whether <paramref name="peer"/> served a failing proof within <see cref="DistrustPeriod"/>.</summary>
    public bool IsDistrusted(PeerId peer)
    {
        lock (_lock)
        {
            return _distrusted.TryGetValue(peer, out var until) && until > DateTimeOffset.UtcNow;
        }
    }

    /// <summary>
    /// The proof last handed out did not verify: when it came from a peer (not from a configured source or
    /// this node's own directory), that peer is not asked again for <see cref="DistrustPeriod"/>.
    /// </summary>
    public void ReportFailedProof(ulong fromEpoch, ulong toEpoch)
    {
        lock (_lock)
        {
            if (_lastProofPeer is not { } peer)
            {
                return;
            }

            if (_distrusted.Count >= MaxDistrusted && !_distrusted.ContainsKey(peer))
            {
                _distrusted.Remove(_distrusted.MinBy(p => p.Value).Key);
            }

            _distrusted[peer] = DateTimeOffset.UtcNow + DistrustPeriod;
            _lastProofPeer = null;
        }
    }

    /// <summary>The first head of <paramref name="epoch"/> that a source has and <c>acceptHead</c> takes; null when every source that answered has none.</summary>
    /// <exception cref="IOException">No source answered at all.</exception>
    public async Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        bool answered = false, sourceAnswered = false;
        foreach (var (label, open, isPeer, _) in Candidates(HeadTimeout))
        {
            // A configured source that answered "no such epoch" is the directory speaking: the epoch is not
            // out yet, and asking peers for it too would only add load. Peers stand in for sources that fail.
            if (isPeer && sourceAnswered)
            {
                break;
            }

            try
            {
                var source = await open(cancellationToken).ConfigureAwait(false);
                var head = await source.GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false);
                if (head is null)
                {
                    answered = true;
                    sourceAnswered |= !isPeer;
                }
                else if (head.Head.Epoch == epoch && head.Head.DirectoryId == directoryId && (acceptHead?.Invoke(head) ?? true))
                {
                    return head;
                }
                else
                {
                    failures.Add($"{label}: served a head that is not the directory's signed head of epoch {epoch}");
                }
            }
            catch (Exception e) when (IsSourceFailure(e))
            {
                failures.Add($"{label}: {e.Message}");
            }
        }

        return answered || failures.Count == 0
            ? null
            : throw new IOException($"No source of directory {directoryId.ToHex()} answered: {string.Join("; ", failures)}");
    }

    /// <summary>The first proof any source serves.</summary>
    /// <exception cref="IOException">No source served the proof.</exception>
    public async Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        await foreach (var proof in GetAppendOnlyProofCandidatesAsync(fromEpoch, toEpoch, cancellationToken).ConfigureAwait(false))
        {
            return proof;
        }

        throw new IOException($"No source of directory {directoryId.ToHex()} served the proof.");
    }

    /// <summary>The proof from each source that serves one, in turn, until the caller has one that verifies.</summary>
    /// <exception cref="IOException">No source served the proof (raised once every source was asked).</exception>
    public async IAsyncEnumerable<byte[]> GetAppendOnlyProofCandidatesAsync(ulong fromEpoch, ulong toEpoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var served = false;
        foreach (var (label, open, isPeer, peer) in Candidates(ProofTimeout))
        {
            byte[]? proof = null;
            try
            {
                var source = await open(cancellationToken).ConfigureAwait(false);
                proof = await source.GetAppendOnlyProofAsync(fromEpoch, toEpoch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsSourceFailure(e))
            {
                failures.Add($"{label}: {e.Message}");
            }

            if (proof is not null)
            {
                served = true;
                lock (_lock)
                {
                    _lastProofPeer = isPeer ? peer : null;
                }

                yield return proof;
            }
        }

        if (!served)
        {
            throw new IOException(failures.Count == 0
                ? $"Directory {directoryId.ToHex()} has no configured sources (Witness:Directories:N:Sources) and no connected peer serves {DirectoryProtocol.ProtocolId}."
                : $"No source of directory {directoryId.ToHex()} served the proof: {string.Join("; ", failures)}");
        }
    }

    /// <summary>
    /// Where to ask, in order, each opened only when reached: peers are picked when the configured sources
    /// are done, from the connections open at that moment.
    /// </summary>
    private IEnumerable<(string Label, Func<CancellationToken, Task<IDirectorySource>> Open, bool IsPeer, PeerId? Peer)> Candidates(TimeSpan timeout)
    {
        if (DirectoryProtocolServer.FindRunningDirectory(host.Router, directoryId) is { } running)
        {
            yield return ("this node's own directory", _ => Task.FromResult(running), false, null);
        }

        var asked = new HashSet<PeerId> { host.PeerId };
        foreach (var address in sources)
        {
            if (address.PeerId is { } peer)
            {
                asked.Add(peer);
            }

            yield return (address.ToString(), async ct =>
                new Libp2pDirectorySource(host, await host.DialAsync(address, ct).ConfigureAwait(false), directoryId, timeout: timeout), false, address.PeerId);
        }

        var peers = host.Connections
            .Where(c => !c.IsClosed && c.Identify?.Protocols.Contains(DirectoryProtocol.ProtocolId, StringComparer.Ordinal) == true && !asked.Contains(c.RemotePeer) && !IsDistrusted(c.RemotePeer))
            .DistinctBy(c => c.RemotePeer)
            .ToArray();
        Random.Shared.Shuffle(peers);
        foreach (var connection in peers.Take(MaxPeersAsked))
        {
            yield return ($"peer {connection.RemotePeer}", _ => Task.FromResult<IDirectorySource>(new Libp2pDirectorySource(host, connection, directoryId, timeout: timeout)), true, connection.RemotePeer);
        }
    }

    private static bool IsSourceFailure(Exception e) =>
        e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException;
}
