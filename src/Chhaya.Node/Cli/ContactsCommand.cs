// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya contacts [accept HANDLE]</c> and <c>chhaya safety-number HANDLE</c>.</summary>
internal static class ContactsCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var contacts = new Command("contacts", "List the handles you exchanged messages with, their pinned keys, and key changes waiting for acceptance.") { dataDir };
        contacts.SetAction(async (parse, ct) =>
        {
            var list = await AdminCall.SendAsync(parse.GetValue(dataDir), (c, t) => c.GetAsync("/admin/v1/contacts", t), ct);
            if (list is not { } l)
            {
                return 1;
            }

            foreach (var contact in l.EnumerateArray())
            {
                var key = contact.GetProperty("identityKey").GetString() ?? "(not pinned)";
                Console.WriteLine($"{contact.GetProperty("handle").GetString()}  {key}  epoch {contact.GetProperty("epoch").GetUInt64()}");
                if (contact.GetProperty("pendingIdentityKey").GetString() is { } pending)
                {
                    Console.WriteLine($"    KEY CHANGED to {pending}: sending is blocked. Compare 'chhaya safety-number {contact.GetProperty("handle").GetString()} --pending' with the contact, then run 'chhaya contacts accept {contact.GetProperty("handle").GetString()}'.");
                }
            }

            return 0;
        });

        var acceptDir = ChhayaCli.DataDirOption();
        var handle = new Argument<string>("HANDLE");
        var accept = new Command("accept", "Accept a contact's changed identity key (after comparing safety numbers) and unblock sending.") { acceptDir, handle };
        accept.SetAction(async (parse, ct) =>
        {
            var name = Uri.EscapeDataString(parse.GetRequiredValue(handle));
            var result = await AdminCall.SendAsync(parse.GetValue(acceptDir), (c, t) => c.PostAsync($"/admin/v1/contacts/{name}/accept", null, t), ct);
            if (result is null)
            {
                return 1;
            }

            Console.WriteLine($"accepted the new key of {parse.GetRequiredValue(handle)}");
            return 0;
        });
        contacts.Subcommands.Add(accept);
        return contacts;
    }

    public static Command CreateSafetyNumber()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var handle = new Argument<string>("HANDLE");
        var pending = new Option<bool>("--pending") { Description = "Use the contact's changed key that waits for acceptance." };
        var command = new Command("safety-number", "Print the 60-digit safety number of you and HANDLE, to compare out of band (in person, by phone).") { dataDir, handle, pending };
        command.SetAction(async (parse, ct) =>
        {
            var name = Uri.EscapeDataString(parse.GetRequiredValue(handle));
            var result = await AdminCall.SendAsync(parse.GetValue(dataDir), (c, t) => c.GetAsync($"/admin/v1/safety-number/{name}?pending={(parse.GetValue(pending) ? "true" : "false")}", t), ct);
            if (result is not { } r)
            {
                return 1;
            }

            Console.WriteLine(r.GetProperty("safetyNumber").GetString());
            return 0;
        });
        return command;
    }
}
