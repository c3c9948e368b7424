// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.Node.Admin;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya directory publish LABEL VALUE</c>: queue an update on a node that runs a directory (producer).</summary>
internal static class DirectoryCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var label = new Argument<string>("LABEL") { Description = "The label, e.g. a messaging handle." };
        var value = new Argument<string>("VALUE") { Description = "The value in hex, e.g. the binding record 'chhaya msg whoami' prints." };
        var publish = new Command("publish", "Queue LABEL = VALUE for the next epoch of the directory this node runs.") { dataDir, label, value };
        publish.SetAction(async (parse, ct) =>
        {
            var request = new DirectoryUpdateRequest(parse.GetRequiredValue(label), parse.GetRequiredValue(value));
            var result = await AdminCall.SendAsync(parse.GetValue(dataDir), (c, t) => c.PostAsJsonAsync("/admin/v1/directory/updates", request, t), ct);
            if (result is null)
            {
                return 1;
            }

            Console.WriteLine($"queued {request.Label} for the next epoch");
            return 0;
        });
        return new Command("directory", "The key directory this node runs (Producer:Enabled).") { publish };
    }
}
