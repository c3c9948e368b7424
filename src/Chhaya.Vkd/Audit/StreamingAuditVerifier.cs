// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Audit;

/// <summary>What a streamed audit step contained.</summary>
public sealed record StreamingAuditResult(long Inserted, long Unchanged, int Runs);

/// <summary>Bounds for <see cref="StreamingAuditVerifier"/>.</summary>
public sealed record StreamingAuditOptions
{
    /// <summary>Defaults.</summary>
    public static StreamingAuditOptions Default { get; } = new();

    /// <summary>
    /// Most sorted runs accepted per proof. AKD's producer emits each list left to right except at its
    /// top parallel levels, where a right subtree may come before its left: about 2^levels runs (32 on
    /// a 32-core server). Memory is runs x <see cref="BufferSize"/>.
    /// </summary>
    public int MaxRuns { get; init; } = 4096;

    /// <summary>Read buffer per run (at least 256 bytes are used).</summary>
    public int BufferSize { get; init; } = 8192;
}

/// <summary>
/// Verifies one append-only step (a <c>SingleAppendOnlyProof</c>, e.g. a WhatsApp audit blob) read from
/// a seekable stream, in memory bounded by the number of sorted runs in the proof, not by its size.
/// </summary>
/// <remarks>
/// Pass 1 reads the proof once, checks its encoding and notes where each ascending run of labels
/// starts. Pass 2 merges the runs with one small reader each and feeds both root rebuilds
/// (<see cref="SortedTreeBuilder"/>), which keep only the right spine of each tree. Accepts exactly the
/// proofs <see cref="AppendOnlyVerifier.VerifyStep"/> accepts, except that a proof split into more than
/// <see cref="StreamingAuditOptions.MaxRuns"/> runs is refused with <see cref="VkdCheck.AuditOrder"/>.
/// </remarks>
public static class StreamingAuditVerifier
{
    /// <summary>Verifies the proof from the stream's current position to its end.</summary>
    /// <exception cref="ArgumentException">The stream cannot seek or read.</exception>
    /// <exception cref="MalformedInputException">The proof is not a canonical SingleAppendOnlyProof.</exception>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static StreamingAuditResult Verify(
        VkdConfiguration config, Stream proof, Digest startHash, Digest endHash, ulong endEpoch, StreamingAuditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(proof);
        if (!proof.CanSeek || !proof.CanRead)
        {
            throw new ArgumentException("The streaming audit verifier needs a readable, seekable stream.", nameof(proof));
        }

        options ??= StreamingAuditOptions.Default;

        // A buffer must hold the largest element plus its header.
        var bufferSize = Math.Max(options.BufferSize, 256);
        var start = proof.Position;
        var end = proof.Length;

        // Pass 1: encoding, field order, and run boundaries.
        var runs = new List<(int Field, long Start, long End)>();
        long inserted = 0, unchanged = 0;
        var scan = new ElementStreamReader(proof, start, end, Math.Max(bufferSize, 4096));
        var lastField = 0;
        NodeLabel previous = default;
        var offset = scan.Position;
        while (scan.TryRead(out var field, out var element))
        {
            if (field < lastField)
            {
                throw new MalformedInputException($"SingleAppendOnlyProof: field {field} after field {lastField} (at byte {offset}).");
            }

            if (field != lastField || element.Label.CompareValue(previous) <= 0)
            {
                if (runs.Count > 0)
                {
                    runs[^1] = runs[^1] with { End = offset };
                }

                if (runs.Count >= options.MaxRuns)
                {
                    VkdVerificationException.Fail(VkdCheck.AuditOrder, $"the proof has more than {options.MaxRuns} sorted runs");
                }

                runs.Add((field, offset, end));
            }

            if (field == 1)
            {
                inserted++;
            }
            else
            {
                unchanged++;
            }

            lastField = field;
            previous = element.Label;
            offset = scan.Position;
        }

        if (inserted == 0 && unchanged == 0 && startHash == endHash)
        {
            return new StreamingAuditResult(0, 0, 0);
        }

        // Pass 2: merge the runs in label order into the two rebuilds.
        var steps = new AuditStepBuilder(config, endEpoch);
        var queue = new PriorityQueue<int, (NodeLabel Label, int Field, int Run)>(runs.Count, RunOrder.Instance);
        var readers = new ElementStreamReader[runs.Count];
        var heads = new Proofs.AzksElement[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            readers[i] = new ElementStreamReader(proof, runs[i].Start, runs[i].End, bufferSize);
            if (readers[i].TryRead(out var field, out heads[i]))
            {
                queue.Enqueue(i, (heads[i].Label, field, i));
            }
        }

        while (queue.TryDequeue(out var run, out var key))
        {
            if (key.Field == 1)
            {
                steps.AddInserted(heads[run]);
            }
            else
            {
                steps.AddUnchanged(heads[run]);
            }

            if (readers[run].TryRead(out var field, out heads[run]))
            {
                queue.Enqueue(run, (heads[run].Label, field, run));
            }
        }

        steps.Finish(startHash, endHash);
        return new StreamingAuditResult(inserted, unchanged, runs.Count);
    }

    private sealed class RunOrder : IComparer<(NodeLabel Label, int Field, int Run)>
    {
        public static RunOrder Instance { get; } = new();

        public int Compare((NodeLabel Label, int Field, int Run) x, (NodeLabel Label, int Field, int Run) y)
        {
            var c = x.Label.CompareValue(y.Label);
            if (c != 0)
            {
                return c;
            }

            // Unchanged before inserted on equal positions, as the in-memory verifier orders them.
            c = y.Field.CompareTo(x.Field);
            return c != 0 ? c : x.Run.CompareTo(y.Run);
        }
    }
}
