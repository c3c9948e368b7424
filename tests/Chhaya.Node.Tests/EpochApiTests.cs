// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using System.Net.Http.Json;
using Chhaya.LogStore.Records;
using Chhaya.Node.Api;
using Chhaya.Node.Identity;
using Chhaya.Node.Producer;
using Chhaya.Node.Witnessing;
using Chhaya.Testing;

namespace Chhaya.Node.Tests;

/// <summary>
/// The per-epoch, audit-proof and witness-liveness routes of the read-only API, on both storage providers
/// (the liveness query groups by key in SQL, which each provider translates on its own).
/// </summary>
public sealed class EpochApiTests
{
    /// <summary>Real keys, so the node accepts the configuration: a directory and a 2-of-3 witness set A, B, C.</summary>
    private sealed class Keys : IDisposable
    {
        private readonly TempDirectory _files = new();

        public Keys()
        {
            var members = new List<(string, string)>();
            for (var i = 0; i < 3; i++)
            {
                using var key = WitnessKey.LoadOrCreate(System.IO.Path.Combine(_files.Path, $"witness-{i}.key"));
                members.Add(FollowArguments.Member(key));
                Witnesses.Add(members[i].Item1);
            }

            using var directory = DirectoryKeys.LoadOrCreate(_files.Path);
            Directory = directory.DirectoryId.ToHex();
            Following =
            [
                .. new FollowArguments(Directory, Convert.ToHexStringLower(directory.HeadPublicKey), Convert.ToHexStringLower(directory.VrfPublicKey), Threshold: 2) { Witnesses = members }.ToArguments(),
                "--Witness:Directories:0:StallMultiple=3",
            ];
        }

        public string Directory { get; }

        public List<string> Witnesses { get; } = [];

        public List<string> Following { get; }

        public void Dispose() => _files.Dispose();
    }

    [Fact]
    public Task On_sqlite_one_epoch_its_proof_and_witness_liveness_are_served() => ServesAsync(null);

    [Fact]
    public async Task On_postgres_one_epoch_its_proof_and_witness_liveness_are_served() =>
        await ServesAsync($"--Storage:PostgresConnectionString={await PostgresTestServer.CreateDatabaseAsync("epochapi")}");

    private static async Task ServesAsync(string? storage)
    {
        // The node follows the directory as an auditor (its own key is not in the set), with no source.
        using var keys = new Keys();
        await using var node = await TestNode.StartAsync(null, [.. keys.Following, .. storage is null ? Array.Empty<string>() : [storage]]);
        await SeedAsync(node, keys);
        var (directory, a, b, c) = (keys.Directory, keys.Witnesses[0], keys.Witnesses[1], keys.Witnesses[2]);

        var epoch = await node.Http.GetFromJsonAsync<EpochDetail>($"/api/v1/directories/{directory}/epochs/10");
        Assert.NotNull(epoch);
        Assert.False(epoch.ConflictingHeads);
        Assert.Equal("0a", Assert.Single(epoch.Heads).Root);
        Assert.Equal([a, b], epoch.CoSignatures.Select(c => c.WitnessPublicKey));
        var certificate = Assert.Single(epoch.Certificates);
        Assert.Equal(2, certificate.SignerCount);
        Assert.Equal(2, certificate.Threshold);
        Assert.Equal([a, b], certificate.Signers);
        var audit = Assert.Single(epoch.Audits);
        Assert.Equal((9L, 10L, "valid", 5L), (audit.FromEpoch, audit.ToEpoch, audit.Verdict, audit.ProofLength));
        Assert.Empty(epoch.EvidenceSequences);

        // The proof comes back byte for byte.
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await node.Http.GetByteArrayAsync(audit.ProofUrl));

        // Two roots for epoch 11: the detail says so and lists the evidence.
        var forked = await node.Http.GetFromJsonAsync<EpochDetail>($"/api/v1/directories/{directory}/epochs/11");
        Assert.True(forked!.ConflictingHeads);
        Assert.Equal(2, forked.Heads.Count);
        Assert.Single(forked.EvidenceSequences);
        Assert.Equal("invalid", Assert.Single(forked.Audits).Verdict);

        var audits = await node.Http.GetFromJsonAsync<Page<AuditView>>($"/api/v1/directories/{directory}/audits?limit=1");
        Assert.Equal([10L], audits!.Items.Select(a => a.ToEpoch));
        Assert.NotNull(audits.Next);

        // A co-signed epoch 11 (newest), B last at 10 (one behind: live), C at 8 by its certificate bit (lagging;
        // its co-signature row is older, at 5), D outside the set.
        var witnesses = await node.Http.GetFromJsonAsync<WitnessesView>($"/api/v1/directories/{directory}/witnesses");
        Assert.NotNull(witnesses);
        Assert.Equal((2, 11L, 3), (witnesses.Threshold, witnesses.LatestEpoch, witnesses.LiveEpochs));
        Assert.Equal(
            [(0, a, "live", 11L, 0L), (1, b, "live", 10L, 1L), (2, c, "lagging", 8L, 3L), (null, "dd04", "live", 11L, 0L)],
            witnesses.Witnesses.Select(w => (w.Index, w.PublicKey, w.Status, w.LastCoSignedEpoch ?? -1, w.EpochsBehind ?? -1)));
        Assert.Equal(2, witnesses.Witnesses[0].CoSignaturesInWindow);

        // B's co-signature on epoch 12 is gossiped in before this node stores head 12: the newest epoch is 12,
        // B is not "ahead" of it, and A is one behind.
        var bKey = Convert.FromHexString(b);
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 12, Root = [12], WitnessPublicKey = bKey, Signature = [8], SignedHead = [7] }, CancellationToken.None);
        var ahead = await node.Http.GetFromJsonAsync<WitnessesView>($"/api/v1/directories/{directory}/witnesses");
        Assert.Equal(12L, ahead!.LatestEpoch);
        Assert.All(ahead.Witnesses, w => Assert.Equal(ahead.LatestEpoch - w.LastCoSignedEpoch, w.EpochsBehind));
        Assert.Equal([1L, 0L], ahead.Witnesses.Take(2).Select(w => w.EpochsBehind ?? -1));
    }

    private static async Task SeedAsync(TestNode node, Keys keys)
    {
        var none = CancellationToken.None;
        var directory = keys.Directory;
        var (a, b, c) = (Convert.FromHexString(keys.Witnesses[0]), Convert.FromHexString(keys.Witnesses[1]), Convert.FromHexString(keys.Witnesses[2]));
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 5, Root = [5], WitnessPublicKey = c, Signature = [1], SignedHead = [7] }, none);
        await node.Store.AppendAsync(new QuorumCertificateRecord { DirectoryId = directory, Epoch = 8, Root = [8], SignerBitmap = [0b110], AggregateSignature = [4], Certificate = [5] }, none);
        await node.Store.AppendAsync(new EpochHeadRecord { DirectoryId = directory, Epoch = 10, Root = [10], PreviousRoot = [9], SignedHead = [7], Source = "local" }, none);
        await node.Store.AppendAsync(new AuditResultRecord { DirectoryId = directory, FromEpoch = 9, ToEpoch = 10, FromRoot = [9], ToRoot = [10], Verdict = "valid", Proof = [1, 2, 3, 4, 5] }, none);
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 10, Root = [10], WitnessPublicKey = a, Signature = [2], SignedHead = [7] }, none);
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 10, Root = [10], WitnessPublicKey = b, Signature = [3], SignedHead = [7] }, none);
        await node.Store.AppendAsync(new QuorumCertificateRecord { DirectoryId = directory, Epoch = 10, Root = [10], SignerBitmap = [0b011], AggregateSignature = [4], Certificate = [5] }, none);

        await node.Store.AppendAsync(new EpochHeadRecord { DirectoryId = directory, Epoch = 11, Root = [11], PreviousRoot = [10], SignedHead = [7], Source = "local" }, none);
        await node.Store.AppendAsync(new EpochHeadRecord { DirectoryId = directory, Epoch = 11, Root = [0x11], PreviousRoot = [10], SignedHead = [8], Source = "gossip" }, none);
        await node.Store.AppendAsync(new AuditResultRecord { DirectoryId = directory, FromEpoch = 10, ToEpoch = 11, FromRoot = [10], ToRoot = [0x11], Verdict = "invalid", Failure = "root mismatch", Proof = [9] }, none);
        await node.Store.AppendAsync(new EquivocationEvidenceRecord { DirectoryId = directory, Epoch = 11, Kind = "conflicting-heads", Summary = "two roots", Evidence = [1] }, none);
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 11, Root = [11], WitnessPublicKey = a, Signature = [6], SignedHead = [7] }, none);
        await node.Store.AppendAsync(new CoSignatureRecord { DirectoryId = directory, Epoch = 11, Root = [11], WitnessPublicKey = [0xdd, 0x04], Signature = [7], SignedHead = [7] }, none);
    }

    [Theory]
    [InlineData("/api/v1/directories/xyz/epochs/1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/directories/ab/epochs/-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/directories/ab/epochs/1", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/directories/ab/audits?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/directories/ab/witnesses", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/directories/zz/witnesses", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/audits/42/proof", HttpStatusCode.NotFound)]
    public async Task Bad_or_unknown_requests_get_a_clear_error(string path, HttpStatusCode expected)
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.NotFound || !path.EndsWith("/epochs/1", StringComparison.Ordinal))
        {
            return;
        }

        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Contains("epoch 1", error!.Error, StringComparison.Ordinal);
    }
}
