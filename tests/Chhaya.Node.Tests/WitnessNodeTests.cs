// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Node.Tests;

public sealed class WitnessNodeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_witness_node_audits_and_certifies_the_epochs_of_a_directory_node_over_libp2p()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];

        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.QuorumCertificates.CountAsync(q => q.DirectoryId == network.DirectoryId) >= 3;
        });

        using (var db = witness.Store.Contexts.Create())
        {
            var audits = await db.AuditResults.AsNoTracking().Where(a => a.DirectoryId == network.DirectoryId).ToListAsync();
            Assert.NotEmpty(audits);
            Assert.All(audits, a => Assert.Equal("valid", a.Verdict));
            var epochs = await db.CoSignatures.AsNoTracking().OrderBy(c => c.Sequence).Select(c => c.Epoch).ToListAsync();
            Assert.Equal(Enumerable.Range(0, epochs.Count).Select(i => (long)i), epochs);
            Assert.Empty(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        }

        using var directories = JsonDocument.Parse(await witness.Http.GetStringAsync(new Uri("/api/v1/directories", UriKind.Relative)));
        Assert.Contains(network.DirectoryId, directories.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_stops_is_reported_as_stalled()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];
        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.CoSignatures.AnyAsync();
        });

        await network.Producer.App.StopAsync();
        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.Alerts.AnyAsync(a => a.Kind == "stall" && a.DirectoryId == network.DirectoryId);
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
