// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;
using Chhaya.Node.Producer;
using Chhaya.Node.Witnessing;
using Chhaya.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Chhaya.Node.Tests;

/// <summary>
/// A directory node and witness nodes on loopback, configured the way an operator would: the witnesses'
/// BLS keys and the directory's keys are made first, then written into each node's configuration.
/// </summary>
internal sealed class WitnessNetwork : IAsyncDisposable
{
    private readonly List<TempDirectory> _directories = [];
    private string[] _follow = [];

    public TestNode Producer { get; private set; } = null!;

    public List<TestNode> Witnesses { get; } = [];

    /// <summary>Nodes that follow the directory without being in its quorum (<see cref="StartAuditorAsync"/>).</summary>
    public List<TestNode> Auditors { get; } = [];

    /// <summary>The directory node's libp2p address, with its peer id.</summary>
    public string ProducerAddress { get; private set; } = "";

    public string DirectoryId { get; private set; } = "";

    public static async Task<WitnessNetwork> StartAsync(int witnesses, int threshold, double epochSeconds, long? equivocateAt = null, string directoryName = "test directory")
    {
        var network = new WitnessNetwork();
        var producerDir = network.NewDirectory();
        string headKey, vrfKey;
        using (var keys = DirectoryKeys.LoadOrCreate(producerDir))
        {
            network.DirectoryId = keys.DirectoryId.ToHex();
            headKey = Convert.ToHexStringLower(keys.HeadPublicKey);
            vrfKey = Convert.ToHexStringLower(keys.VrfPublicKey);
        }

        var witnessDirs = Enumerable.Range(0, witnesses).Select(_ => network.NewDirectory()).ToList();
        var members = new List<(string, string)>();
        foreach (var dir in witnessDirs)
        {
            using var key = WitnessKey.LoadOrCreate(Path.Combine(dir, "witness.key"));
            members.Add(FollowArguments.Member(key));
        }

        string[] producerConfig =
        [
            "--Producer:Enabled=true",
            $"--Producer:EpochIntervalSeconds={epochSeconds}",
            "--Producer:RandomUpdatesPerEpoch=3",
            .. equivocateAt is { } e ? [$"--Producer:EquivocateAtEpoch={e}"] : Array.Empty<string>(),
        ];
        network.Producer = await TestNode.StartAsync(producerDir, producerConfig);
        var producerAddress = network.Producer.App.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0];
        network.ProducerAddress = producerAddress.ToString();

        network._follow =
        [
            .. new FollowArguments(network.DirectoryId, headKey, vrfKey, threshold)
            {
                Name = directoryName,
                EpochIntervalSeconds = epochSeconds,
                Witnesses = members,
            }.ToArguments(),
            "--Witness:PollIntervalSeconds=0.5",
            "--P2p:GossipHeartbeatMilliseconds=200",
        ];

        // Each witness dials the directory and every witness started before it: a full mesh on loopback.
        var bootstrap = new List<string> { producerAddress.ToString() };
        foreach (var dir in witnessDirs)
        {
            var node = await TestNode.StartAsync(dir, [.. network._follow, $"--Witness:Directories:0:Sources:0={producerAddress}", .. bootstrap.Select((a, i) => $"--P2p:Bootstrap:{i}={a}")]);
            network.Witnesses.Add(node);
            bootstrap.Add(node.App.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0].ToString());
        }

        return network;
    }

    /// <summary>
    /// Starts a node that follows the directory with the same configuration as the witnesses but is not in
    /// the quorum (its own BLS key is fresh), with the given sources and bootstrap peers.
    /// </summary>
    public async Task<TestNode> StartAuditorAsync(IReadOnlyList<string> sources, IReadOnlyList<string> bootstrap)
    {
        var node = await TestNode.StartAsync(NewDirectory(),
        [
            .. _follow,
            .. sources.Select((a, i) => $"--Witness:Directories:0:Sources:{i}={a}"),
            .. bootstrap.Select((a, i) => $"--P2p:Bootstrap:{i}={a}"),
        ]);
        Auditors.Add(node);
        return node;
    }

    /// <summary>A node's libp2p address, with its peer id.</summary>
    public static string AddressOf(TestNode node) =>
        node.App.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0].ToString();

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Auditors)
        {
            await node.DisposeAsync();
        }

        foreach (var node in Witnesses)
        {
            await node.DisposeAsync();
        }

        if (Producer is not null)
        {
            await Producer.DisposeAsync();
        }

        foreach (var dir in _directories)
        {
            dir.Dispose();
        }
    }

    private string NewDirectory()
    {
        var dir = new TempDirectory();
        _directories.Add(dir);
        return dir.Path;
    }
}
