// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>The streaming verifier on larger proofs, in AKD's parallel output order, and its run bound.</summary>
public class StreamingAuditTests
{
    [Fact]
    public void Proofs_emitted_right_subtree_first_stream_in_a_few_runs()
    {
        var config = WhatsAppV1Configuration.Instance;
        var (step, start, end) = Build(config, oldLeaves: 3000, newLeaves: 1000, seed: 3);
        var bytes = AkdProofCodec.Encode(step);
        var sorted = StreamingAuditVerifier.Verify(config, new MemoryStream(bytes), start, end, 2);
        Assert.Equal(2, sorted.Runs);
        Assert.Equal(step.Inserted.Count, sorted.Inserted);

        // AKD's producer, with parallel levels, emits a right subtree before its left one near the top.
        // Reorder both lists by the first 3 bits, descending: 8 runs each.
        static List<AzksElement> Reorder(IReadOnlyList<AzksElement> list) =>
            [.. list.GroupBy(e => e.Label.GetBit(0) * 4 + e.Label.GetBit(1) * 2 + e.Label.GetBit(2)).OrderByDescending(g => g.Key).SelectMany(g => g)];
        var akdOrder = new SingleAppendOnlyProof(Reorder(step.Inserted), Reorder(step.UnchangedNodes));
        var akdBytes = AkdProofCodec.Encode(akdOrder);
        var result = StreamingAuditVerifier.Verify(config, new MemoryStream(akdBytes), start, end, 2, new StreamingAuditOptions { BufferSize = 256 });
        Assert.Equal(16, result.Runs);
        AppendOnlyVerifier.VerifyStep(config, akdOrder, start, end, 2);

        // Too many runs for the configured bound: refused, not buffered.
        Assert.Equal(VkdCheck.AuditOrder, Assert.Throws<VkdVerificationException>(() =>
            StreamingAuditVerifier.Verify(config, new MemoryStream(akdBytes), start, end, 2, new StreamingAuditOptions { MaxRuns = 15 })).Check);

        // A changed root is still caught in streaming mode.
        Assert.Equal(VkdCheck.AuditEndRootMismatch, Assert.Throws<VkdVerificationException>(() =>
            StreamingAuditVerifier.Verify(config, new MemoryStream(akdBytes), start, start, 2)).Check);
    }

    [Fact]
    public void Streaming_reads_in_small_windows_only()
    {
        var config = ExperimentalConfiguration.Example;
        var (step, start, end) = Build(config, oldLeaves: 2000, newLeaves: 500, seed: 4);
        var bytes = AkdProofCodec.Encode(step);
        var stream = new WindowCheckingStream(bytes);
        var result = StreamingAuditVerifier.Verify(config, stream, start, end, 2, new StreamingAuditOptions { BufferSize = 512 });
        Assert.Equal(step.Inserted.Count + step.UnchangedNodes.Count, result.Inserted + result.Unchanged);

        // Pass 1 reads with a 4 KiB window, pass 2 with 512-byte windows; the proof is far larger.
        Assert.True(bytes.Length > 50_000, $"proof is {bytes.Length} bytes");
        Assert.InRange(stream.LargestRead, 1, 4096);
        Assert.True(stream.TotalRead >= 2L * bytes.Length, $"read {stream.TotalRead} of {bytes.Length}");
    }

    [Fact]
    public void Streaming_needs_a_seekable_stream()
    {
        Assert.Throws<ArgumentException>(() => StreamingAuditVerifier.Verify(WhatsAppV1Configuration.Instance, new NonSeekable(), default, default, 1));
    }

    internal static (SingleAppendOnlyProof Step, Digest Start, Digest End) Build(VkdConfiguration config, int oldLeaves, int newLeaves, int seed)
    {
        var random = new Random(seed);
        AzksElement Leaf()
        {
            var label = new byte[32];
            var value = new byte[32];
            random.NextBytes(label);
            random.NextBytes(value);
            return new AzksElement(new NodeLabel(label, NodeLabel.MaxBits), new Digest(value));
        }

        var trie = new MerkleTrie(config);
        trie.InsertBatch([.. Enumerable.Range(0, oldLeaves).Select(_ => Leaf())], 1);
        var start = trie.RootHash;
        trie.InsertBatch([.. Enumerable.Range(0, newLeaves).Select(_ => Leaf())], 2);
        return (trie.AppendOnlyStep(1, 2), start, trie.RootHash);
    }

    // Records the largest single read, so a verifier that slurps the proof would fail the test.
    private sealed class WindowCheckingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public int LargestRead { get; private set; }

        public long TotalRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            LargestRead = Math.Max(LargestRead, read);
            TotalRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            LargestRead = Math.Max(LargestRead, read);
            TotalRead += read;
            return read;
        }
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
