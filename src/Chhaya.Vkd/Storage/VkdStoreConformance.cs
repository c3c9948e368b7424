// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Storage;

/// <summary>
/// The behaviour every <see cref="IVkdStore"/> must show, as named cases any backend's test project can
/// run (one test per case, each on a fresh store). A case throws <see cref="InvalidOperationException"/>
/// describing the violation.
/// </summary>
public static class VkdStoreConformance
{
    /// <summary>The case names, for a data-driven test.</summary>
    public static IReadOnlyList<string> CaseNames { get; } =
    [
        nameof(EmptyStoreHasNoEpoch),
        nameof(EpochsCommitInOrder),
        nameof(RefusedCommitLeavesNoTrace),
        nameof(NodesKeepLatestState),
        nameof(ValueStatesAreAppendOnlyAndOrdered),
        nameof(EpochsRoundTrip),
    ];

    /// <summary>Runs one case against a fresh store.</summary>
    public static Task RunAsync(string caseName, IVkdStore store, CancellationToken cancellationToken = default) => caseName switch
    {
        nameof(EmptyStoreHasNoEpoch) => EmptyStoreHasNoEpoch(store, cancellationToken),
        nameof(EpochsCommitInOrder) => EpochsCommitInOrder(store, cancellationToken),
        nameof(RefusedCommitLeavesNoTrace) => RefusedCommitLeavesNoTrace(store, cancellationToken),
        nameof(NodesKeepLatestState) => NodesKeepLatestState(store, cancellationToken),
        nameof(ValueStatesAreAppendOnlyAndOrdered) => ValueStatesAreAppendOnlyAndOrdered(store, cancellationToken),
        nameof(EpochsRoundTrip) => EpochsRoundTrip(store, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(caseName), caseName, "unknown conformance case"),
    };

    private static async Task EmptyStoreHasNoEpoch(IVkdStore store, CancellationToken ct)
    {
        Check(await store.GetLatestEpochAsync(ct).ConfigureAwait(false) is null, "an empty store reports an epoch");
        Check(await store.GetEpochAsync(0, ct).ConfigureAwait(false) is null, "an empty store returns epoch 0");
        Check((await store.GetValueStatesAsync("x"u8.ToArray(), ct).ConfigureAwait(false)).Count == 0, "an empty store returns value states");
    }

    private static async Task EpochsCommitInOrder(IVkdStore store, CancellationToken ct)
    {
        await ExpectRefused(() => store.CommitEpochAsync(Commit(1), ct)).ConfigureAwait(false);
        await store.CommitEpochAsync(Commit(0), ct).ConfigureAwait(false);
        await ExpectRefused(() => store.CommitEpochAsync(Commit(0), ct)).ConfigureAwait(false);
        await ExpectRefused(() => store.CommitEpochAsync(Commit(2), ct)).ConfigureAwait(false);
        await store.CommitEpochAsync(Commit(1), ct).ConfigureAwait(false);
        Check(await store.GetLatestEpochAsync(ct).ConfigureAwait(false) == 1, "latest epoch is not 1 after two commits");
    }

    private static async Task RefusedCommitLeavesNoTrace(IVkdStore store, CancellationToken ct)
    {
        var label = "alice"u8.ToArray();
        await store.CommitEpochAsync(Commit(0, values: [new StoredValueState(label, 1, 0, "v1"u8.ToArray())]), ct).ConfigureAwait(false);
        var node = Node(7, 1);
        await ExpectRefused(() => store.CommitEpochAsync(
            Commit(1, nodes: [node], values: [new StoredValueState(label, 1, 1, "again"u8.ToArray())]), ct)).ConfigureAwait(false);
        Check(await store.GetLatestEpochAsync(ct).ConfigureAwait(false) == 0, "a refused commit advanced the epoch");
        await foreach (var n in store.ReadNodesAsync(ct).ConfigureAwait(false))
        {
            Check(n.Label != node.Label, "a refused commit stored a node");
        }

        var states = await store.GetValueStatesAsync(label, ct).ConfigureAwait(false);
        Check(states.Count == 1 && states[0].Value.Span.SequenceEqual("v1"u8), "a refused commit changed a value state");
    }

    private static async Task NodesKeepLatestState(IVkdStore store, CancellationToken ct)
    {
        await store.CommitEpochAsync(Commit(0, nodes: [Node(1, 0)]), ct).ConfigureAwait(false);
        await store.CommitEpochAsync(Commit(1, nodes: [Node(1, 1), Node(2, 1)]), ct).ConfigureAwait(false);
        var nodes = new List<StoredNode>();
        await foreach (var n in store.ReadNodesAsync(ct).ConfigureAwait(false))
        {
            nodes.Add(n);
        }

        Check(nodes.Count == 2, $"expected 2 nodes, got {nodes.Count}");
        Check(nodes.Single(n => n.Label == Node(1, 0).Label).LastEpoch == 1, "a node did not keep its latest state");
        Check(nodes.Single(n => n.Label == Node(2, 1).Label) == Node(2, 1), "a node did not round-trip");
    }

    private static async Task ValueStatesAreAppendOnlyAndOrdered(IVkdStore store, CancellationToken ct)
    {
        var label = "bob"u8.ToArray();
        await store.CommitEpochAsync(Commit(0), ct).ConfigureAwait(false);
        await store.CommitEpochAsync(Commit(1, values: [new StoredValueState(label, 1, 1, "a"u8.ToArray())]), ct).ConfigureAwait(false);
        await store.CommitEpochAsync(Commit(2, values: [new StoredValueState(label, 2, 2, "b"u8.ToArray()), new StoredValueState("carol"u8.ToArray(), 1, 2, "c"u8.ToArray())]), ct).ConfigureAwait(false);
        var states = await store.GetValueStatesAsync(label, ct).ConfigureAwait(false);
        Check(states.Count == 2 && states[0].Version == 1 && states[1].Version == 2 && states[1].Value.Span.SequenceEqual("b"u8), "value states are not oldest first");
        var all = new List<StoredValueState>();
        await foreach (var v in store.ReadValueStatesAsync(ct).ConfigureAwait(false))
        {
            all.Add(v);
        }

        Check(all.Count == 3, $"expected 3 value states, got {all.Count}");
        await ExpectRefused(() => store.CommitEpochAsync(Commit(3, values: [new StoredValueState(label, 2, 3, "x"u8.ToArray())]), ct)).ConfigureAwait(false);
    }

    private static async Task EpochsRoundTrip(IVkdStore store, CancellationToken ct)
    {
        var commit = Commit(0);
        await store.CommitEpochAsync(commit, ct).ConfigureAwait(false);
        var stored = await store.GetEpochAsync(0, ct).ConfigureAwait(false);
        Check(stored is not null && stored.Root == commit.Epoch.Root && stored.SignedHead.Span.SequenceEqual(commit.Epoch.SignedHead.Span), "an epoch did not round-trip");
        Check(await store.GetEpochAsync(1, ct).ConfigureAwait(false) is null, "a future epoch exists");
    }

    private static EpochCommit Commit(ulong epoch, StoredNode[]? nodes = null, StoredValueState[]? values = null)
    {
        Span<byte> root = stackalloc byte[Digest.Length];
        root.Fill((byte)(epoch + 1));
        return new EpochCommit(new StoredEpoch(epoch, new Digest(root), new byte[] { (byte)epoch, 1, 2, 3 }), nodes ?? [], values ?? []);
    }

    private static StoredNode Node(byte id, ulong epoch)
    {
        Span<byte> value = stackalloc byte[NodeLabel.ValueLength];
        value[0] = id;
        var label = new NodeLabel(value, 8);
        Span<byte> hash = stackalloc byte[Digest.Length];
        hash.Fill((byte)(id + epoch));
        return new StoredNode(label, null, null, new Digest(hash), true, 0, epoch, 0);
    }

    private static async Task ExpectRefused(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        throw new InvalidOperationException("The store accepted a commit it must refuse.");
    }

    private static void Check(bool condition, string violation)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Store conformance violated: " + violation);
        }
    }
}
