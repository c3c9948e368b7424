// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Http.Json;
using System.Text.Json;
using Chhaya.Integrations;
using Chhaya.Node.Admin;
using Chhaya.Node.Identity;
using Chhaya.Node.Messaging;
using Chhaya.Node.Producer;
using Chhaya.Node.Witnessing;
using Chhaya.P2p.Identity;
using Chhaya.Testing;

namespace Chhaya.Node.Tests.Messaging;

/// <summary>
/// Four real <c>chhaya run</c> processes on 127.0.0.1: a directory node (also the mailbox peer), and alice, bob and
/// carol, who are both the directory's witnesses (2 of 3) and its messaging users. Their handles are bound with
/// <c>chhaya directory publish</c>; everything else goes through <c>chhaya msg</c>, <c>chhaya contacts</c> and
/// <c>chhaya safety-number</c>, as a user would.
/// </summary>
public sealed class MessagingSystemTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Users_message_both_ways_an_offline_user_gets_mail_from_its_mailbox_and_a_key_change_blocks_sending()
    {
        using var directoryDir = new TempDirectory();
        var users = new[] { "alice", "bob", "carol" }.Select(name => new User(name, new TempDirectory(), NodeProcess.FreePort())).ToList();
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        var directoryPort = NodeProcess.FreePort();
        var directoryPeer = PeerIdOf(directoryDir.Path);
        var directoryAddress = $"/ip4/127.0.0.1/tcp/{directoryPort}/p2p/{directoryPeer}";

        string directoryId, headKey, vrfKey;
        using (var keys = DirectoryKeys.LoadOrCreate(directoryDir.Path))
        {
            (directoryId, headKey, vrfKey) = (keys.DirectoryId.ToHex(), Convert.ToHexStringLower(keys.HeadPublicKey), Convert.ToHexStringLower(keys.VrfPublicKey));
        }

        var bootstrap = new List<string> { $"--P2p:Bootstrap:0={directoryAddress}", "--Messaging:PollIntervalSeconds=0.5", "--Messaging:RecheckSeconds=0" };
        var members = new List<(string, string)>();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            using var key = WitnessKey.LoadOrCreate(Path.Combine(user.Dir.Path, "witness.key"));
            members.Add(FollowArguments.Member(key));
            bootstrap.Add($"--P2p:Bootstrap:{i + 1}=/ip4/127.0.0.1/tcp/{user.Port}/p2p/{PeerIdOf(user.Dir.Path)}");
        }

        // The directory node follows its own directory (no source: it asks itself); the users fetch from it.
        var following = new FollowArguments(directoryId, headKey, vrfKey, Threshold: 2) { Name = "handles", EpochIntervalSeconds = 16, Witnesses = members };
        string[] tuning = ["--Witness:Directories:0:StallMultiple=1000", "--Witness:PollIntervalSeconds=0.5", "--P2p:GossipHeartbeatMilliseconds=200"];
        string[] follow = [.. (following with { Sources = [directoryAddress] }).ToArguments(), .. tuning];
        string[] directoryArguments = [.. following.ToArguments(), .. tuning, "--Producer:Enabled=true", "--Producer:EpochIntervalSeconds=16", "--Producer:RandomUpdatesPerEpoch=0"];

        var directory = NodeProcess.Start("directory", directoryDir.Path, directoryPort, directoryArguments);
        var processes = new List<NodeProcess> { directory };
        try
        {
            await WaitAsync(async () => await IsUpAsync(directoryDir.Path), processes, "the directory node to start");

            // The operator binds each handle to the user's identity key and peer id.
            foreach (var user in users)
            {
                await RunOkAsync("directory", "publish", "--data-dir", directoryDir.Path, user.Name, BindingOf(user.Dir.Path), processes);
            }

            foreach (var user in users)
            {
                user.Process = NodeProcess.Start(user.Name, user.Dir.Path, user.Port,
                    [.. follow, .. bootstrap, $"--Messaging:Handle={user.Name}", .. user == carol ? [$"--Messaging:Mailboxes:0={directoryAddress}"] : Array.Empty<string>()]);
                processes.Add(user.Process);
            }

            // Carol is registered with her mailbox and her prekey record is in the DHT before she goes away.
            await WaitAsync(async () => await WhoAmIAsync(carol) is { } me && me.GetProperty("prekeyRecordPublished").GetBoolean() && me.GetProperty("mailboxesRegistered").GetInt32() == 1, processes, "carol registered with her mailbox and published her prekeys");

            // No binding, no message: the directory's (certified) answer gates the first message.
            await WaitAsync(async () => (await SendAsync(alice, "dave", "anyone there?")).Status == "not-found", processes, "a lookup of an unbound handle to be refused as not found");

            // Alice to bob, once the directory's certified epoch holds bob's binding.
            await WaitAsync(async () => (await SendAsync(alice, "bob", "hello bob")).Ok, processes, "alice's first message to bob");
            await WaitAsync(async () => (await InboxAsync(bob)).Any(m => m.From == "alice" && m.Text == "hello bob" && m.Verified), processes, "bob to receive alice's message, verified");
            await RunOkAsync("msg", "send", "--data-dir", bob.Dir.Path, "alice", "hi alice, got it", processes);
            await WaitAsync(async () => (await InboxAsync(alice)).Any(m => m.From == "bob" && m.Text == "hi alice, got it" && m.Verified), processes, "alice to receive bob's answer");
            var inbox = await RunOkAsync("msg", "inbox", "--data-dir", alice.Dir.Path, processes);
            Assert.Contains("bob: hi alice, got it", inbox, StringComparison.Ordinal);
            await WaitAsync(async () => (await SentAsync(alice)).Any(s => s.GetProperty("text").GetString() == "hello bob" && s.GetProperty("status").GetString() == "acknowledged"), processes, "bob's delivery receipt to reach alice");

            // Carol goes offline; alice's message waits, sealed, in carol's mailbox.
            carol.Process!.Kill();
            var toCarol = await SendUntilAsync(alice, "carol", "carol, read this when you are back", processes);
            Assert.Equal("in-mailbox", toCarol.Status);

            // The mailbox node (the directory node) restarts while it holds carol's mail: the mail is on disk.
            directory.Dispose();
            processes.Remove(directory);
            directory = NodeProcess.Start("directory", directoryDir.Path, directoryPort, directoryArguments);
            processes.Add(directory);
            await WaitAsync(async () => await IsUpAsync(directoryDir.Path), processes, "the directory node to restart");

            // Carol comes back with the same data directory and collects it.
            carol.Process = NodeProcess.Start(carol.Name, carol.Dir.Path, carol.Port, [.. follow, .. bootstrap, "--Messaging:Handle=carol", $"--Messaging:Mailboxes:0={directoryAddress}"]);
            processes.Add(carol.Process);
            await WaitAsync(async () => (await InboxAsync(carol)).Any(m => m.From == "alice" && m.Text == "carol, read this when you are back"), processes, "carol to collect alice's message from her mailbox");
            Assert.Single(await InboxAsync(carol), m => m.Text == "carol, read this when you are back"); // collected again until acknowledged, read once

            // Safety numbers agree on both sides.
            var aliceView = (await RunOkAsync("safety-number", "--data-dir", alice.Dir.Path, "bob", processes)).Trim();
            var bobView = (await RunOkAsync("safety-number", "--data-dir", bob.Dir.Path, "alice", processes)).Trim();
            Assert.Equal(aliceView, bobView);

            // The directory now binds "bob" to another identity key: alice's node notices and refuses to send.
            using var impostor = new TempDirectory();
            await RunOkAsync("directory", "publish", "--data-dir", directoryDir.Path, "bob", BindingOf(impostor.Path), processes);
            // (Probes sent before alice's node sees the newly certified epoch still go to the old, pinned key.)
            await WaitAsync(async () => (await SendAsync(alice, "bob", "probe")).Status == "key-changed", processes, "alice's node to catch bob's key change");
            var contacts = await RunOkAsync("contacts", "--data-dir", alice.Dir.Path, processes);
            Assert.Contains("KEY CHANGED", contacts, StringComparison.Ordinal);
            Assert.NotEqual(aliceView, (await RunOkAsync("safety-number", "--pending", "--data-dir", alice.Dir.Path, "bob", processes)).Trim());
            Assert.Equal("key-changed", (await SendAsync(alice, "bob", "blocked?")).Status);
            Assert.DoesNotContain(await SentAsync(alice), s => s.GetProperty("text").GetString() == "blocked?");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.DoesNotContain(await InboxAsync(bob), m => m.Text == "blocked?");
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }

            foreach (var user in users)
            {
                user.Dir.Dispose();
            }
        }
    }

    private static string PeerIdOf(string dataDirectory)
    {
        using var identity = NodeIdentity.LoadOrCreate(Path.Combine(dataDirectory, "identity.key"));
        using var p2p = Ed25519Identity.FromSeed(identity.Seed.ReadOnlySpan);
        return p2p.PeerId.ToString();
    }

    private static string BindingOf(string dataDirectory)
    {
        using var keys = MessengerKeys.LoadOrCreate(dataDirectory);
        return Convert.ToHexStringLower(new BindingRecord(keys.Identity.PublicKey, PeerId.Parse(PeerIdOf(dataDirectory))).Encode());
    }

    private static async Task<string> RunOkAsync(params object[] arguments)
    {
        var processes = (List<NodeProcess>)arguments[^1];
        var (exit, stdout, stderr) = await ChhayaProcess.RunAsync([.. arguments[..^1].Cast<string>()]);
        Assert.True(exit == 0, $"chhaya {string.Join(' ', arguments[..^1])} exited {exit}: {stderr}\n{string.Join('\n', processes.Select(p => p.Tail))}");
        return stdout;
    }

    private static async Task<SendOutcome> SendAsync(User from, string to, string text)
    {
        using var client = AdminClient.Create(Path.Combine(from.Dir.Path, "admin.sock"));
        using var response = await client.PostAsJsonAsync("/admin/v1/msg/send", new SendRequest(to, text));
        return (await response.Content.ReadFromJsonAsync<SendOutcome>(Web))!;
    }

    /// <summary>Sends once the directory lookup succeeds (the first tries may see the recipient's node just gone).</summary>
    private static async Task<SendOutcome> SendUntilAsync(User from, string to, string text, List<NodeProcess> processes)
    {
        SendOutcome? outcome = null;
        await WaitAsync(async () => (outcome = await SendAsync(from, to, text)).Ok, processes, $"{from.Name}'s message to {to} to be accepted");
        return outcome!;
    }

    private static async Task<IReadOnlyList<InboxEntry>> InboxAsync(User user)
    {
        using var client = AdminClient.Create(Path.Combine(user.Dir.Path, "admin.sock"));
        return await client.GetFromJsonAsync<List<InboxEntry>>("/admin/v1/msg/inbox", Web) ?? [];
    }

    private static async Task<List<JsonElement>> SentAsync(User user)
    {
        using var client = AdminClient.Create(Path.Combine(user.Dir.Path, "admin.sock"));
        return await client.GetFromJsonAsync<List<JsonElement>>("/admin/v1/msg/sent") ?? [];
    }

    private static async Task<bool> IsUpAsync(string dataDirectory)
    {
        using var client = AdminClient.Create(Path.Combine(dataDirectory, "admin.sock"));
        using var response = await client.GetAsync("/admin/v1/status");
        return response.IsSuccessStatusCode;
    }

    private static async Task<JsonElement?> WhoAmIAsync(User user)
    {
        using var client = AdminClient.Create(Path.Combine(user.Dir.Path, "admin.sock"));
        using var response = await client.GetAsync("/admin/v1/msg/whoami");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    /// <summary>Polls <paramref name="condition"/> (failed admin calls count as not yet) until it holds or the patience runs out.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition, List<NodeProcess> processes, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        string? lastError = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or TaskCanceledException or NotSupportedException)
            {
                lastError = e.Message;
            }

            if (processes.FirstOrDefault(p => p.HasExited && p.Name != "carol") is { } gone)
            {
                Assert.Fail($"{gone.Name}'s node exited while waiting for {what}.\n{gone.Tail}");
            }
            await Task.Delay(300);
        }

        Assert.Fail($"Timed out waiting for {what} (last error: {lastError ?? "none"}).\n{string.Join('\n', processes.Select(p => p.Tail))}");
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed class User(string name, TempDirectory dir, int port)
    {
        public string Name { get; } = name;

        public TempDirectory Dir { get; } = dir;

        public int Port { get; } = port;

        public NodeProcess? Process { get; set; }
    }
}
