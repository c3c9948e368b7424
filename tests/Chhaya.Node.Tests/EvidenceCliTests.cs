// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Records;
using Chhaya.Safety;
using Chhaya.Testing;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness.Evidence;

namespace Chhaya.Node.Tests;

public class EvidenceCliTests
{
    private static (byte[] Key, SignedEpochHead A, SignedEpochHead B) TwoHeads(bool sameRoot)
    {
        using var seed = SecretBytes.CopyFrom(Enumerable.Repeat((byte)3, 32).ToArray());
        var key = Crypto.Ed25519.PublicKey(seed);
        var id = new Digest(Enumerable.Repeat((byte)0xAB, 32).ToArray());
        var a = new EpochHead(id, 5, new Digest(Enumerable.Repeat((byte)1, 32).ToArray()), default, 1_700_000_000_000);
        var b = a with { Root = sameRoot ? a.Root : new Digest(Enumerable.Repeat((byte)2, 32).ToArray()), TimestampUnixMilliseconds = a.TimestampUnixMilliseconds + 1 };
        return (key, SignedEpochHead.Sign(a, seed), SignedEpochHead.Sign(b, seed));
    }

    private static async Task<(int Code, string Output)> VerifyAsync(string path)
    {
        var (code, stdout, stderr) = await ChhayaProcess.RunAsync("evidence", "verify", path);
        return (code, stdout + stderr);
    }

    [Fact]
    public async Task Evidence_downloaded_from_the_api_verifies_offline()
    {
        var (key, a, b) = TwoHeads(sameRoot: false);
        var bundle = EvidenceBundle.ConflictingHeads(key, a, b).Encode();
        await using var node = await TestNode.StartAsync();
        var stored = await node.Store.AppendAsync(new EquivocationEvidenceRecord { DirectoryId = "ab", Epoch = 5, Kind = "conflicting-heads", Summary = "two roots", Evidence = bundle }, CancellationToken.None);

        var downloaded = await node.Http.GetByteArrayAsync($"/api/v1/equivocations/{stored.Sequence}/bundle");
        Assert.Equal(bundle, downloaded);
        var file = Path.Combine(node.DataDirectory, "evidence.bin");
        await File.WriteAllBytesAsync(file, downloaded);

        var (code, output) = await VerifyAsync(file);
        Assert.Equal(0, code);
        Assert.Contains("verdict: VALID", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_that_proves_nothing_or_is_not_evidence_is_refused()
    {
        using var directory = new TempDirectory();
        var (key, a, b) = TwoHeads(sameRoot: true);
        var weak = Path.Combine(directory.Path, "weak.bin");
        await File.WriteAllBytesAsync(weak, EvidenceBundle.ConflictingHeads(key, a, b).Encode());
        var (code, output) = await VerifyAsync(weak);
        Assert.Equal(2, code);
        Assert.Contains("NOT PROVEN", output, StringComparison.Ordinal);

        var garbage = Path.Combine(directory.Path, "garbage.bin");
        await File.WriteAllTextAsync(garbage, "hello");
        (code, output) = await VerifyAsync(garbage);
        Assert.Equal(1, code);
        Assert.Contains("not a valid evidence bundle", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_evidence_is_404()
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync("/api/v1/equivocations/42/bundle");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
