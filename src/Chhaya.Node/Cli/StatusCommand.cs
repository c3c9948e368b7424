// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using System.Net.Sockets;
using Chhaya.Node.Admin;
using Chhaya.Node.Api;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya status</c>: asks a running node, over its admin socket, what it is doing.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var command = new Command("status", "Show a running node's identity, storage and history counts (over the local admin channel).") { dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = NodeConfiguration.Load(parse.GetValue(dataDir), []);
            var directory = NodeConfiguration.OpenDataDirectory(configuration);
            using var client = AdminClient.Create(directory.AdminSocket);
            NodeStatus? status;
            try
            {
                status = await client.GetFromJsonAsync<NodeStatus>("/admin/v1/status", cancellationToken);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                await Console.Error.WriteLineAsync($"chhaya: no node is running with data directory {directory.Path} (nothing answers on {directory.AdminSocket}). Start one with 'chhaya run'.");
                return 1;
            }

            if (status is null)
            {
                await Console.Error.WriteLineAsync("chhaya: the node answered with an empty status.");
                return 1;
            }

            Console.WriteLine($"version:        {status.Version}");
            Console.WriteLine($"identity-key:   ed25519:{status.IdentityPublicKey}");
            Console.WriteLine($"peer-id:        {status.PeerId}");
            Console.WriteLine($"p2p addresses:  {string.Join(", ", status.P2pAddresses)}");
            Console.WriteLine($"storage:        {status.Storage}");
            Console.WriteLine($"started:        {status.StartedAt:u}");
            Console.WriteLine($"directories:    {status.Counts.Directories}");
            Console.WriteLine($"epoch heads:    {status.Counts.EpochHeads}");
            Console.WriteLine($"co-signatures:  {status.Counts.CoSignatures}");
            Console.WriteLine($"certificates:   {status.Counts.QuorumCertificates}");
            Console.WriteLine($"equivocations:  {status.Counts.Equivocations}");
            return 0;
        });
        return command;
    }
}
