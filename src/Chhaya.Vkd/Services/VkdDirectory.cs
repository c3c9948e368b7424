// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Services;

/// <summary>
/// The producer: a directory that publishes epochs of (label, value) updates, signs an epoch head for
/// each, persists through an <see cref="IVkdStore"/>, and answers lookup, history and append-only proof
/// requests in AKD's formats. Epoch 0 is the empty tree; every publish, even an empty one, advances the
/// epoch so a quiet directory is distinguishable from a stalled one.
/// </summary>
/// <remarks>
/// One operation at a time: publishes and proof requests are serialised, so a proof always describes
/// the latest committed epoch. If the store refuses a commit, the directory stops (its memory
/// would be ahead of its storage) and must be reopened.
/// </remarks>
public sealed class VkdDirectory : IVkdProducer, IDisposable
{
    private readonly VkdConfiguration _config;
    private readonly IVrfProver _vrf;
    private readonly SecretBytes _commitmentKey;
    private readonly SecretBytes _signingSeed;
    private readonly byte[] _signingPublicKey;
    private readonly IVkdStore _store;
    private readonly TimeProvider _time;
    private readonly VkdDirectoryOptions _options;
    private readonly MerkleTrie _trie;
    private readonly Dictionary<string, List<StoredValueState>> _versions;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _state = new();
    private SignedEpochHead _head;
    private bool _faulted;

    private VkdDirectory(VkdDirectoryOptions options, IVkdStore store, TimeProvider time, MerkleTrie trie, Dictionary<string, List<StoredValueState>> versions, SignedEpochHead head)
    {
        _options = options;
        _config = options.Configuration;
        _vrf = options.VrfProver;
        _commitmentKey = options.CommitmentKey.Clone();
        _signingSeed = options.SigningSeed.Clone();
        _signingPublicKey = Ed25519.PublicKey(_signingSeed);
        _store = store;
        _time = time;
        _trie = trie;
        _versions = versions;
        _head = head;
    }

    /// <summary>The hash suite.</summary>
    public VkdConfiguration Configuration => _config;

    /// <summary>The VRF public key clients verify leaf positions with.</summary>
    public ReadOnlySpan<byte> VrfPublicKey => _vrf.PublicKey;

    /// <summary>The Ed25519 key epoch heads are signed with.</summary>
    public ReadOnlySpan<byte> SigningPublicKey => _signingPublicKey;

    /// <summary>The latest signed epoch head.</summary>
    public SignedEpochHead LatestHead
    {
        get
        {
            lock (_state)
            {
                return _head;
            }
        }
    }

    /// <summary>Number of leaves (fresh and stale) in the tree.</summary>
    public long LeafCount => _trie.LeafCount;

    /// <summary>Opens the directory kept in <paramref name="store"/>, creating epoch 0 if the store is empty.</summary>
    public static async Task<VkdDirectory> OpenAsync(VkdDirectoryOptions options, IVkdStore store, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        time ??= TimeProvider.System;
        var latest = await store.GetLatestEpochAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            var trie = new MerkleTrie(options.Configuration);
            var genesis = SignedEpochHead.Sign(
                new EpochHead(options.DirectoryId, 0, trie.RootHash, trie.RootHash, time.GetUtcNow().ToUnixTimeMilliseconds()),
                options.SigningSeed);
            await store.CommitEpochAsync(
                new EpochCommit(new StoredEpoch(0, trie.RootHash, genesis.Encode()), [MerkleTrie.ToStored(trie.Root)], []),
                cancellationToken).ConfigureAwait(false);
            return new VkdDirectory(options, store, time, trie, new Dictionary<string, List<StoredValueState>>(StringComparer.Ordinal), genesis);
        }

        var nodes = new List<StoredNode>();
        await foreach (var n in store.ReadNodesAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(n);
        }

        var loaded = MerkleTrie.FromStored(options.Configuration, nodes);
        var versions = new Dictionary<string, List<StoredValueState>>(StringComparer.Ordinal);
        await foreach (var v in store.ReadValueStatesAsync(cancellationToken).ConfigureAwait(false))
        {
            AddVersion(versions, v);
        }

        var stored = await store.GetEpochAsync(latest.Value, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The store lists epoch {latest} but does not return it.");
        var head = SignedEpochHead.Decode(stored.SignedHead.Span);
        if (head.Head.Root != loaded.RootHash)
        {
            throw new InvalidOperationException("The stored tree does not hash to the latest signed root.");
        }

        return new VkdDirectory(options, store, time, loaded, versions, head);
    }

    /// <summary>Publishes one epoch with the given updates (possibly none) and returns its signed head.</summary>
    /// <exception cref="ArgumentException">Too many updates, a label twice, or a label or value over its limit.</exception>
    public async Task<SignedEpochHead> PublishAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        Guard.InRange(updates.Count, 0, _options.MaxUpdatesPerEpoch, nameof(updates));
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (label, value) in updates)
        {
            Guard.MaxLength(label.Length, _options.MaxLabelLength, nameof(updates));
            Guard.MaxLength(value.Length, _options.MaxValueLength, nameof(updates));
            if (!distinct.Add(Key(label)))
            {
                throw new ArgumentException("A label appears twice in one publish.", nameof(updates));
            }
        }

        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFaulted();
            var previous = _head.Head;
            var epoch = previous.Epoch + 1;

            // VRF and commitments first, outside the state lock: they are the expensive part.
            var leaves = new List<AzksElement>(updates.Count * 2);
            var newStates = new List<StoredValueState>(updates.Count);
            foreach (var (label, value) in updates)
            {
                var version = (ulong)(_versions.TryGetValue(Key(label), out var list) ? list.Count : 0) + 1;
                var fresh = Position(label, VersionFreshness.Fresh, version, out _);
                leaves.Add(new AzksElement(fresh, _config.FreshCommitment(_commitmentKey.ReadOnlySpan, fresh, version, value)));
                if (version > 1)
                {
                    leaves.Add(new AzksElement(Position(label, VersionFreshness.Stale, version - 1, out _), _config.StaleValue));
                }

                newStates.Add(new StoredValueState(label.ToArray(), version, epoch, value.ToArray()));
            }

            SignedEpochHead head;
            EpochCommit commit;
            lock (_state)
            {
                // From here until the store has the epoch, memory may be ahead of storage.
                _faulted = true;
                _trie.InsertBatch(leaves, epoch);
                head = SignedEpochHead.Sign(
                    new EpochHead(previous.DirectoryId, epoch, _trie.RootHash, previous.Root, _time.GetUtcNow().ToUnixTimeMilliseconds()),
                    _signingSeed);
                commit = new EpochCommit(
                    new StoredEpoch(epoch, head.Head.Root, head.Encode()),
                    [.. _trie.ChangedNodes(epoch).Select(MerkleTrie.ToStored)],
                    newStates);
            }

            await _store.CommitEpochAsync(commit, cancellationToken).ConfigureAwait(false);
            lock (_state)
            {
                foreach (var s in newStates)
                {
                    AddVersion(_versions, s);
                }

                _head = head;
                _faulted = false;
            }

            return head;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>A lookup proof for the latest version of <paramref name="label"/> at the latest epoch.</summary>
    /// <exception cref="KeyNotFoundException">The label has never been published.</exception>
    public LookupProof GetLookupProof(ReadOnlySpan<byte> label)
    {
        _writer.Wait();
        try
        {
            ThrowIfFaulted();
            var states = Versions(label);
            var latest = states[^1];
            var version = latest.Version;
            var (existenceVrf, fresh) = Prove(label, VersionFreshness.Fresh, version);
            var marker = 1UL << MarkerVersions.Log2(version);
            var (markerVrf, markerLabel) = Prove(label, VersionFreshness.Fresh, marker);
            var (freshnessVrf, stale) = Prove(label, VersionFreshness.Stale, version);
            return new LookupProof(
                latest.Epoch,
                latest.Value,
                version,
                existenceVrf,
                _trie.MembershipProof(fresh),
                markerVrf,
                _trie.MembershipProof(markerLabel),
                freshnessVrf,
                _trie.NonMembershipProof(stale),
                _config.CommitmentNonce(_commitmentKey.ReadOnlySpan, fresh, version, latest.Value.Span).ToArray());
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>A key-history proof for <paramref name="label"/> at the latest epoch.</summary>
    /// <exception cref="KeyNotFoundException">The label has never been published.</exception>
    public HistoryProof GetHistoryProof(ReadOnlySpan<byte> label, HistoryParams historyParams)
    {
        ArgumentNullException.ThrowIfNull(historyParams);
        _writer.Wait();
        try
        {
            ThrowIfFaulted();
            var states = Versions(label);
            var end = states[^1].Version;
            var start = historyParams.MostRecentCount is { } k && (ulong)k < end ? end - (ulong)k + 1 : 1UL;
            var updates = new List<UpdateProof>();
            for (var v = end; v >= start; v--)
            {
                var s = states[(int)(v - 1)];
                var (exVrf, fresh) = Prove(label, VersionFreshness.Fresh, v);
                ReadOnlyMemory<byte>? prevVrf = null;
                MembershipProof? prevProof = null;
                if (v > 1)
                {
                    var (vrf, stale) = Prove(label, VersionFreshness.Stale, v - 1);
                    prevVrf = vrf;
                    prevProof = _trie.MembershipProof(stale);
                }

                updates.Add(new UpdateProof(
                    s.Epoch, s.Value, v, exVrf, _trie.MembershipProof(fresh), prevVrf, prevProof,
                    _config.CommitmentNonce(_commitmentKey.ReadOnlySpan, fresh, v, s.Value.Span).ToArray()));
                if (v == 1)
                {
                    break;
                }
            }

            var (past, future) = MarkerVersions.Compute(start, end, _head.Head.Epoch);
            var pastVrf = new List<ReadOnlyMemory<byte>>();
            var pastProofs = new List<MembershipProof>();
            foreach (var m in past)
            {
                var (vrf, l) = Prove(label, VersionFreshness.Fresh, m);
                pastVrf.Add(vrf);
                pastProofs.Add(_trie.MembershipProof(l));
            }

            var futureVrf = new List<ReadOnlyMemory<byte>>();
            var futureProofs = new List<NonMembershipProof>();
            foreach (var m in future)
            {
                var (vrf, l) = Prove(label, VersionFreshness.Fresh, m);
                futureVrf.Add(vrf);
                futureProofs.Add(_trie.NonMembershipProof(l));
            }

            return new HistoryProof(updates, pastVrf, pastProofs, futureVrf, futureProofs);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The append-only proof from <paramref name="startEpoch"/> to <paramref name="endEpoch"/>, one step per epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not start &lt; end &lt;= latest epoch.</exception>
    public AppendOnlyProof GetAppendOnlyProof(ulong startEpoch, ulong endEpoch)
    {
        _writer.Wait();
        try
        {
            ThrowIfFaulted();
            if (startEpoch >= endEpoch || endEpoch > _head.Head.Epoch)
            {
                throw new ArgumentOutOfRangeException(nameof(endEpoch), $"need {startEpoch} < {endEpoch} <= {_head.Head.Epoch}");
            }

            var proofs = new List<SingleAppendOnlyProof>();
            var epochs = new List<ulong>();
            for (var e = startEpoch; e < endEpoch; e++)
            {
                proofs.Add(_trie.AppendOnlyStep(e, e + 1));
                epochs.Add(e);
            }

            return new AppendOnlyProof(proofs, epochs);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The signed head of a past epoch.</summary>
    public async Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken = default)
    {
        var stored = await _store.GetEpochAsync(epoch, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : SignedEpochHead.Decode(stored.SignedHead.Span);
    }

    public void Dispose()
    {
        _commitmentKey.Dispose();
        _signingSeed.Dispose();
        _writer.Dispose();
    }

    private void ThrowIfFaulted()
    {
        if (_faulted)
        {
            throw new InvalidOperationException("The directory stopped after its store refused a commit; reopen it from the store.");
        }
    }

    private List<StoredValueState> Versions(ReadOnlySpan<byte> label) =>
        _versions.TryGetValue(Key(label), out var states) ? states : throw new KeyNotFoundException("The label has never been published.");

    private NodeLabel Position(ReadOnlySpan<byte> label, VersionFreshness freshness, ulong version, out byte[] proof)
    {
        (proof, var nodeLabel) = Prove(label, freshness, version);
        return nodeLabel;
    }

    private (byte[] Proof, NodeLabel Label) Prove(ReadOnlySpan<byte> label, VersionFreshness freshness, ulong version)
    {
        Span<byte> alpha = stackalloc byte[Digest.Length];
        _config.VrfAlpha(label, freshness, version).CopyTo(alpha);
        var proof = new byte[AkdVrfLengths.Proof];
        Span<byte> output = stackalloc byte[AkdVrfLengths.Output];
        _vrf.Prove(alpha, proof, output);
        return (proof, new NodeLabel(output[..NodeLabel.ValueLength], NodeLabel.MaxBits));
    }

    private static void AddVersion(Dictionary<string, List<StoredValueState>> versions, StoredValueState state)
    {
        var key = Key(state.AkdLabel.Span);
        if (!versions.TryGetValue(key, out var list))
        {
            list = [];
            versions[key] = list;
        }

        if (state.Version != (ulong)list.Count + 1)
        {
            throw new InvalidOperationException($"Version {state.Version} does not follow {list.Count}.");
        }

        list.Add(state);
    }

    private static string Key(ReadOnlySpan<byte> label) => Convert.ToHexString(label);
}

/// <summary>Lengths of ECVRF-EDWARDS25519-SHA512-TAI proofs and outputs.</summary>
internal static class AkdVrfLengths
{
    public const int Proof = 80;
    public const int Output = 64;
}
