// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.Node.Identity;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya id</c>: prints the node's public identity, creating it on first use.</summary>
internal static class IdCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var command = new Command("id", "Print this node's public identity key (created on first use).") { dataDir };
        command.SetAction(parse =>
        {
            var configuration = NodeConfiguration.Load(parse.GetValue(dataDir), []);
            var directory = NodeConfiguration.OpenDataDirectory(configuration);
            using var identity = NodeIdentity.LoadOrCreate(directory.IdentityKeyFile);
            Console.WriteLine($"identity-key: ed25519:{identity.PublicKeyHex}");
            Console.WriteLine($"data-dir:     {directory.Path}");
            if (identity.Created)
            {
                Console.WriteLine("(a new identity was created)");
            }

            return 0;
        });
        return command;
    }
}
