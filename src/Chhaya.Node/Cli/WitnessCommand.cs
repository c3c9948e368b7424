// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.Node.Identity;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya witness id</c>: what a quorum operator needs to admit this node as a witness.</summary>
internal static class WitnessCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var id = new Command("id", "Print this node's BLS witness public key and its proof of possession (the key is created on first use).") { dataDir };
        id.SetAction(parse =>
        {
            var directory = NodeConfiguration.OpenDataDirectory(NodeConfiguration.Load(parse.GetValue(dataDir), []));
            using var key = WitnessKey.LoadOrCreate(directory.WitnessKeyFile);
            Console.WriteLine($"bls-public-key:          {Convert.ToHexStringLower(key.PublicKey.Bytes)}");
            Console.WriteLine($"proof-of-possession:     {Convert.ToHexStringLower(key.ProvePossession().Bytes)}");
            return 0;
        });
        return new Command("witness", "The node's witness identity.") { id };
    }
}
