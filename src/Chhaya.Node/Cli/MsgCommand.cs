// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Chhaya.Node.Admin;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya msg whoami|send|inbox|sent</c>: the local messaging user, over the admin channel of a running node.</summary>
internal static class MsgCommand
{
    public static Command Create()
    {
        var whoamiDir = ChhayaCli.DataDirOption();
        var whoami = new Command("whoami", "Print the local user's handle, identity key, peer id, and the binding record the key directory must hold for the handle.") { whoamiDir };
        whoami.SetAction(async (parse, ct) =>
        {
            var me = await AdminCall.SendAsync(parse.GetValue(whoamiDir), (c, t) => c.GetAsync("/admin/v1/msg/whoami", t), ct);
            if (me is not { } m)
            {
                return 1;
            }

            Console.WriteLine($"handle    {m.GetProperty("handle").GetString()}");
            Console.WriteLine($"identity  {m.GetProperty("identityKey").GetString()}");
            Console.WriteLine($"peer      {m.GetProperty("peerId").GetString()}");
            Console.WriteLine($"binding   {m.GetProperty("bindingRecord").GetString()}");
            Console.WriteLine($"prekeys   {(m.GetProperty("prekeyRecordPublished").GetBoolean() ? "published in the DHT" : "not yet in the DHT")}");
            Console.WriteLine($"mailboxes {m.GetProperty("mailboxesRegistered").GetInt32()} of {m.GetProperty("mailboxesConfigured").GetInt32()} registered");
            return 0;
        });

        var sendDir = ChhayaCli.DataDirOption();
        var handle = new Argument<string>("HANDLE") { Description = "The recipient's handle in the key directory." };
        var text = new Argument<string>("TEXT") { Description = "The message." };
        var send = new Command("send", "Send a message. The first message to a handle waits for a verified, quorum-certified directory lookup; a changed key blocks sending.") { sendDir, handle, text };
        send.SetAction(async (parse, ct) =>
        {
            var request = new SendRequest(parse.GetRequiredValue(handle), parse.GetRequiredValue(text));
            var result = await AdminCall.SendAsync(parse.GetValue(sendDir), (c, t) => c.PostAsJsonAsync("/admin/v1/msg/send", request, t), ct);
            if (result is not { } r)
            {
                return 1;
            }

            Console.WriteLine($"{r.GetProperty("status").GetString()}: {r.GetProperty("detail").GetString()} (message {r.GetProperty("messageId").GetString()})");
            return 0;
        });

        var inboxDir = ChhayaCli.DataDirOption();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new messages as they arrive (Ctrl-C to stop)." };
        var inbox = new Command("inbox", "Print received messages.") { inboxDir, follow };
        inbox.SetAction(async (parse, ct) => await InboxAsync(parse.GetValue(inboxDir), parse.GetValue(follow), ct));

        var sentDir = ChhayaCli.DataDirOption();
        var sent = new Command("sent", "Print sent messages and how far each got (queued, delivered, in-mailbox, acknowledged).") { sentDir };
        sent.SetAction(async (parse, ct) =>
        {
            var list = await AdminCall.SendAsync(parse.GetValue(sentDir), (c, t) => c.GetAsync("/admin/v1/msg/sent", t), ct);
            if (list is not { } l)
            {
                return 1;
            }

            foreach (var s in l.EnumerateArray())
            {
                Console.WriteLine($"{Time(s.GetProperty("sentAtUnixMs").GetInt64())}  to {s.GetProperty("to").GetString()}  [{s.GetProperty("status").GetString()}]  {s.GetProperty("text").GetString()}");
            }

            return 0;
        });

        return new Command("msg", "End-to-end encrypted messaging as the node's user (Messaging:Handle).") { whoami, send, inbox, sent };
    }

    private static async Task<int> InboxAsync(string? dataDir, bool follow, CancellationToken cancellationToken)
    {
        long after = 0;
        do
        {
            var list = await AdminCall.SendAsync(dataDir, (c, t) => c.GetAsync($"/admin/v1/msg/inbox?after={after}", t), cancellationToken);
            if (list is not { } l)
            {
                return 1;
            }

            foreach (var m in l.EnumerateArray())
            {
                after = Math.Max(after, m.GetProperty("id").GetInt64());
                Print(m);
            }

            if (follow)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        }
        while (follow && !cancellationToken.IsCancellationRequested);
        return 0;
    }

    private static void Print(JsonElement m)
    {
        var verified = m.GetProperty("verified").GetBoolean() ? "" : " (NOT verified in the key directory)";
        var late = m.GetProperty("late").GetBoolean() ? " [late]" : "";
        Console.WriteLine($"{Time(m.GetProperty("sentAtUnixMs").GetInt64())}  {m.GetProperty("from").GetString()}{verified}{late}: {m.GetProperty("text").GetString()}");
    }

    private static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
