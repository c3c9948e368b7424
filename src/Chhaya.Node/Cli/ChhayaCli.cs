// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;

namespace Chhaya.Node.Cli;

/// <summary>The command tree of <c>chhaya</c>.</summary>
public static class ChhayaCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Chhaya: a peer-to-peer key-transparency witness, auditor and secure messenger.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(IdCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(EvidenceCommand.Create());
        root.Subcommands.Add(P2pCommand.Create());
        root.Subcommands.Add(WitnessCommand.Create());
        root.Subcommands.Add(DevnetCommand.Create());
        root.Subcommands.Add(MsgCommand.Create());
        root.Subcommands.Add(ContactsCommand.Create());
        root.Subcommands.Add(ContactsCommand.CreateSafetyNumber());
        root.Subcommands.Add(DirectoryCommand.Create());
        return root;
    }

    /// <summary>The <c>--data-dir</c> option every command shares.</summary>
    internal static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = "The node's data directory (identity key, SQLite history, admin socket). Default: $XDG_DATA_HOME/chhaya or ~/.local/share/chhaya.",
    };
}
