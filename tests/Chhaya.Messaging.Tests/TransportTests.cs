// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Transport;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Messaging.Tests;

/// <summary>Two and three real libp2p hosts on 127.0.0.1 speaking /chhaya/prekeys/1.0.0 and /chhaya/msg/1.0.0.</summary>
public sealed class TransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_bundle_is_fetched_and_messages_flow_both_ways_over_libp2p()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var alice = await Node.StartAsync("alice");
        await using var bob = await Node.StartAsync("bob");
        var toBob = await alice.Host.DialAsync(bob.Address, cts.Token);

        var bundle = await alice.Service.FetchBundleAsync(toBob, cts.Token);
        Assert.Single(bundle.OneTimeEcPrekeys);
        alice.Endpoint.StartSession(bob.IdentityKey, bundle);
        var (sent, envelope) = alice.Endpoint.SendText(bob.IdentityKey, "over libp2p"u8);
        Assert.True(await alice.Service.SendAsync(toBob, envelope, cts.Token));
        var received = await bob.Service.Received.ReadAsync(cts.Token);
        Assert.Equal("over libp2p"u8.ToArray(), Assert.Single(received.Released).Body);
        Assert.Equal("alice", received.Sender!.Handle);

        // The same envelope again is refused (ratchet replay), and garbage is refused without harming the stream handler.
        Assert.False(await alice.Service.SendAsync(toBob, envelope, cts.Token));
        Assert.False(await alice.Service.SendAsync(toBob, new byte[512], cts.Token));

        // Bob answers with a delivery receipt and a text over his own connection.
        var toAlice = await bob.Host.DialAsync(alice.Address, cts.Token);
        Assert.True(await bob.Service.SendAsync(toAlice, bob.Endpoint.SendReceipt(alice.IdentityKey, Conversations.ContentKind.Delivered, [sent.MessageId]), cts.Token));
        var receipt = await alice.Service.Received.ReadAsync(cts.Token);
        Assert.Equal(ReceiveOutcome.Receipt, receipt.Outcome);
        Assert.Equal(sent.MessageId, Assert.Single(receipt.ReceiptFor));

        // Cover traffic is accepted on the wire and never surfaces.
        Assert.True(await alice.Service.SendAsync(toBob, alice.Endpoint.SendCover(bob.IdentityKey, 1024), cts.Token));
        Assert.True(await alice.Service.SendAsync(toBob, alice.Endpoint.SendText(bob.IdentityKey, "after cover"u8).Envelope, cts.Token));
        Assert.Equal("after cover"u8.ToArray(), Assert.Single((await bob.Service.Received.ReadAsync(cts.Token)).Released).Body);
    }

    [Fact]
    public async Task Two_requesters_are_handed_different_one_time_prekeys()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var alice = await Node.StartAsync("alice");
        await using var bob = await Node.StartAsync("bob");
        var toBob = await alice.Host.DialAsync(bob.Address, cts.Token);
        var first = await alice.Service.FetchBundleAsync(toBob, cts.Token);
        var second = await alice.Service.FetchBundleAsync(toBob, cts.Token);
        Assert.True(first.Verify());
        Assert.NotEqual(first.OneTimeEcPrekeys[0].Id, second.OneTimeEcPrekeys[0].Id);
        Assert.NotEqual(first.OneTimeKemPrekeys[0].Id, second.OneTimeKemPrekeys[0].Id);
    }

    [Fact]
    public async Task A_mailbox_peer_holds_envelopes_for_an_offline_recipient_until_it_collects_them()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var alice = await Node.StartAsync("alice");
        await using var relay = await Node.StartAsync("relay", withMailbox: true);
        using var bobKeys = TestUsers.NewStore();
        using var bob = new MessagingEndpoint(bobKeys, SenderCertificate.Create(bobKeys.Identity, [0xB0], "bob", DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600));
        await relay.Mailbox!.ServeAsync(bobKeys.Identity.PublicKey.ToArray(), cts.Token);

        // Bob is offline: Alice got his bundle earlier (e.g. from the DHT) and deposits at his mailbox.
        alice.Endpoint.StartSession(bobKeys.Identity.PublicKey, bobKeys.PublishBundle(1));
        var toRelay = await alice.Host.DialAsync(relay.Address, cts.Token);
        Assert.True(await alice.Service.SendAsync(toRelay, alice.Endpoint.SendText(bobKeys.Identity.PublicKey, "while you were away"u8).Envelope, cts.Token));
        Assert.Equal(1, relay.Mailbox.CountFor(bobKeys.Identity.PublicKey));

        // Envelopes for recipients the relay does not serve are refused.
        using var stranger = Identity.IdentityKeyPair.Generate();
        Assert.False(await alice.Service.SendAsync(toRelay, alice.Endpoint.SendCover(stranger.PublicKey, 512), cts.Token));

        // Bob comes back and collects with a signed, fresh request.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signature = bobKeys.Identity.Sign(Mailbox.CollectStatement(relay.Host.PeerId.Bytes, bobKeys.Identity.PublicKey, now, 0));
        var held = await relay.Mailbox.CollectAsync(bobKeys.Identity.PublicKey.ToArray(), now, 0, signature, cts.Token);
        Assert.Equal("while you were away"u8.ToArray(), Assert.Single(bob.Receive(Assert.Single(held).Envelope).Released).Body);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => relay.Mailbox.CollectAsync(bobKeys.Identity.PublicKey.ToArray(), now, 0, signature, cts.Token));
    }

    [Fact]
    public async Task A_recipient_registers_with_its_mailbox_and_collects_over_libp2p_and_nobody_else_can()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var alice = await Node.StartAsync("alice");
        await using var relay = await Node.StartAsync("relay", withMailbox: true);
        await using var bob = await Node.StartAsync("bob");
        var relayProtocol = new MailboxProtocol(relay.Host, relay.Mailbox, NullLogger<MailboxProtocol>.Instance);
        relayProtocol.Register();
        var bobProtocol = new MailboxProtocol(bob.Host, null, NullLogger<MailboxProtocol>.Instance);

        // Bob's first collection registers him (nothing held yet); then he goes quiet.
        var bobToRelay = await bob.Host.DialAsync(relay.Address, cts.Token);
        Assert.Empty(await bobProtocol.CollectAsync(bobToRelay, bob.Keys.Identity, 0, TimeProvider.System, cts.Token));

        alice.Endpoint.StartSession(bob.IdentityKey, bob.Keys.PublishBundle(0));
        var aliceToRelay = await alice.Host.DialAsync(relay.Address, cts.Token);
        Assert.True(await alice.Service.SendAsync(aliceToRelay, alice.Endpoint.SendText(bob.IdentityKey, "held for you"u8).Envelope, cts.Token));

        // Alice cannot collect Bob's mail: her request is signed by her key, and the relay hands out only what it holds for her.
        var aliceProtocol = new MailboxProtocol(alice.Host, null, NullLogger<MailboxProtocol>.Instance);
        Assert.Empty(await aliceProtocol.CollectAsync(aliceToRelay, alice.Keys.Identity, 0, TimeProvider.System, cts.Token));
        Assert.Equal(1, relay.Mailbox!.CountFor(bob.IdentityKey));

        // A clock far off is refused, and Bob's real collection gets the envelope, which opens.
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => bobProtocol.CollectAsync(bobToRelay, bob.Keys.Identity, 0, new FixedTime(DateTimeOffset.UtcNow.AddHours(1)), cts.Token));
        var held = Assert.Single(await bobProtocol.CollectAsync(bobToRelay, bob.Keys.Identity, 0, TimeProvider.System, cts.Token));
        Assert.Equal("held for you"u8.ToArray(), Assert.Single(bob.Endpoint.Receive(held.Envelope).Released).Body);

        // Handed over but not yet acknowledged: still held, and handed over again until Bob acknowledges it.
        Assert.Equal(1, relay.Mailbox.CountFor(bob.IdentityKey));
        await Task.Delay(5, cts.Token); // the next request must carry a later timestamp
        Assert.Equal(held.Sequence, Assert.Single(await bobProtocol.CollectAsync(bobToRelay, bob.Keys.Identity, 0, TimeProvider.System, cts.Token)).Sequence);
        await Task.Delay(5, cts.Token);
        Assert.Empty(await bobProtocol.CollectAsync(bobToRelay, bob.Keys.Identity, held.Sequence, TimeProvider.System, cts.Token));
        Assert.Equal(0, relay.Mailbox.CountFor(bob.IdentityKey));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Node : IAsyncDisposable
    {
        private readonly Ed25519Identity _p2pIdentity;

        private Node(Libp2pHost host, Ed25519Identity p2pIdentity, PrekeyStore keys, MessagingEndpoint endpoint, MessagingService service, Mailbox? mailbox)
        {
            Host = host;
            _p2pIdentity = p2pIdentity;
            Keys = keys;
            Endpoint = endpoint;
            Service = service;
            Mailbox = mailbox;
        }

        public Libp2pHost Host { get; }

        public PrekeyStore Keys { get; }

        public MessagingEndpoint Endpoint { get; }

        public MessagingService Service { get; }

        public Mailbox? Mailbox { get; }

        public byte[] IdentityKey => Keys.Identity.PublicKey.ToArray();

        public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

        public static async Task<Node> StartAsync(string handle, bool withMailbox = false)
        {
            var p2p = Ed25519Identity.Generate();
            var host = new Libp2pHost(new Libp2pHostOptions { Identity = p2p, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
            var keys = TestUsers.NewStore();
            var cert = SenderCertificate.Create(keys.Identity, host.PeerId.Bytes, handle, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
            var endpoint = new MessagingEndpoint(keys, cert);
            var mailbox = withMailbox ? new Mailbox(host.PeerId.Bytes.ToArray()) : null;
            var service = new MessagingService(host, endpoint, keys, mailbox, NullLogger<MessagingService>.Instance);
            service.Register();
            await host.StartAsync(CancellationToken.None);
            return new Node(host, p2p, keys, endpoint, service, mailbox);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Endpoint.Dispose();
            Mailbox?.Dispose();
            Keys.Dispose();
            _p2pIdentity.Dispose();
        }
    }
}
