// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;

namespace Chhaya.Messaging.Tests;

/// <summary>
/// PQXDH §4.2: an initial message that used no one-time prekey (a bundle from the DHT) can be replayed. The
/// endpoint remembers the base keys it accepted, and the node keeps them across restarts.
/// </summary>
public sealed class BaseKeyReplayTests
{
    [Fact]
    public void A_replayed_initial_message_is_refused_after_a_restart_when_the_base_keys_were_kept()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var aliceStore = TestUsers.NewStore(time: time);
        using var bobStore = TestUsers.NewStore(time: time);
        using var alice = Endpoint(aliceStore, "alice", time);
        using var bob = Endpoint(bobStore, "bob", time);
        alice.StartSession(bobStore.Identity.PublicKey, bobStore.PublishBundle(0)); // the DHT bundle: no one-time prekeys
        var initial = alice.SendText(bobStore.Identity.PublicKey, "first"u8).Envelope;
        Assert.Equal(ReceiveOutcome.Message, bob.Receive(initial).Outcome);
        Assert.Single(bob.ExportAcceptedBaseKeys());

        // Restarted with the base keys: the replay meets the session it started and the ratchet refuses it.
        using (var restarted = Restart(bob, bobStore, alice.Identity.PublicKey, time, keepBaseKeys: true))
        {
            Assert.Throws<RatchetException>(() => restarted.Endpoint.Receive(initial));
        }

        // Alice starts over (a newer session replaces the first one at Bob's); replaying the old initial message
        // must not start the old session again, neither before nor after a restart.
        alice.StartSession(bobStore.Identity.PublicKey, bobStore.PublishBundle(0));
        Assert.Equal(ReceiveOutcome.Message, bob.Receive(alice.SendText(bobStore.Identity.PublicKey, "second"u8).Envelope).Outcome);
        var current = bob.SessionWith(alice.Identity.PublicKey)!.SessionId;
        Assert.Contains("replayed", Assert.Throws<HandshakeException>(() => bob.Receive(initial)).Message, StringComparison.Ordinal);
        Assert.Equal(current, bob.SessionWith(alice.Identity.PublicKey)!.SessionId);
        using (var restarted = Restart(bob, bobStore, alice.Identity.PublicKey, time, keepBaseKeys: true))
        {
            Assert.Throws<HandshakeException>(() => restarted.Endpoint.Receive(initial));
            Assert.Equal(current, restarted.Endpoint.SessionWith(alice.Identity.PublicKey)!.SessionId);
        }

        // Without them (what a restart did before the base keys were kept), the replay starts a second session that
        // knocks out the current one, and the old message is read again.
        using (var forgetful = Restart(bob, bobStore, alice.Identity.PublicKey, time, keepBaseKeys: false))
        {
            Assert.Equal(ReceiveOutcome.Message, forgetful.Endpoint.Receive(initial).Outcome);
            Assert.NotEqual(current, forgetful.Endpoint.SessionWith(alice.Identity.PublicKey)!.SessionId);
        }
    }

    [Fact]
    public void Base_keys_are_forgotten_once_their_signed_prekey_can_no_longer_be_used()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var aliceStore = TestUsers.NewStore(time: time);
        using var bobStore = TestUsers.NewStore(time: time);
        using var alice = Endpoint(aliceStore, "alice", time);
        using var bob = Endpoint(bobStore, "bob", time);
        var lifetime = new PrekeyStoreOptions().SignedPrekeyLifetime + new PrekeyStoreOptions().RetiredPrekeyGrace;
        Assert.Equal(lifetime, bob.BaseKeyLifetime);
        alice.StartSession(bobStore.Identity.PublicKey, bobStore.PublishBundle(0));
        bob.Receive(alice.SendText(bobStore.Identity.PublicKey, "hi"u8).Envelope);
        var kept = bob.ExportAcceptedBaseKeys();
        time.Advance(lifetime - TimeSpan.FromMinutes(1));
        Assert.Single(bob.ExportAcceptedBaseKeys());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(bob.ExportAcceptedBaseKeys());
        Assert.Equal(0, bob.RestoreAcceptedBaseKeys(kept)); // expired ones are not restored either
    }

    [Fact]
    public void Restored_base_keys_are_checked_and_bounded_like_input()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var bobStore = TestUsers.NewStore(time: time);
        using var bob = Endpoint(bobStore, "bob", time);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bad = new[]
        {
            new AcceptedBaseKey(new byte[31], "s", now),
            new AcceptedBaseKey(new byte[32], "", now),
            new AcceptedBaseKey(new byte[32], new string('a', 65), now),
            new AcceptedBaseKey(new byte[32], "s", now + (long)TimeSpan.FromDays(30).TotalMilliseconds),
            new AcceptedBaseKey(null!, "s", now),
            null!,
        };
        Assert.Equal(0, bob.RestoreAcceptedBaseKeys(bad));
        var many = Enumerable.Range(0, MessagingEndpoint.MaxRememberedBaseKeys + 10)
            .Select(i => new AcceptedBaseKey(BitConverter.GetBytes(i).Concat(new byte[28]).ToArray(), "s", now - 1000 + i)).ToList();
        bob.RestoreAcceptedBaseKeys(many);
        var kept = bob.ExportAcceptedBaseKeys();
        Assert.Equal(MessagingEndpoint.MaxRememberedBaseKeys, kept.Count);
        Assert.Equal(many[^1].BaseKey, kept[^1].BaseKey); // the oldest were forgotten first
    }

    private static MessagingEndpoint Endpoint(PrekeyStore store, string handle, TimeProvider time) =>
        new(store, SenderCertificate.Create(store.Identity, [1, 2], handle, time.GetUtcNow().ToUnixTimeSeconds() + 86400), time: time);

    /// <summary>A new endpoint from what a node saves: the prekeys, the session snapshot, and (maybe) the base keys.</summary>
    private static Restarted Restart(MessagingEndpoint bob, PrekeyStore bobStore, ReadOnlySpan<byte> peer, TimeProvider time, bool keepBaseKeys)
    {
        PrekeyStore store;
        using (var prekeys = bobStore.Export())
        {
            store = PrekeyStore.Import(bobStore.Identity, prekeys.ReadOnlySpan, bobStore.Options, time);
        }

        var endpoint = Endpoint(store, "bob", time);
        using (var state = bob.SessionWith(peer)!.ExportState())
        {
            endpoint.AdoptSession(RatchetSession.ImportState(state.ReadOnlySpan, null, time));
        }

        if (keepBaseKeys)
        {
            Assert.Equal(bob.ExportAcceptedBaseKeys().Count, endpoint.RestoreAcceptedBaseKeys(bob.ExportAcceptedBaseKeys()));
        }

        return new Restarted(endpoint, store);
    }

    private sealed record Restarted(MessagingEndpoint Endpoint, PrekeyStore Store) : IDisposable
    {
        public void Dispose() => Endpoint.Dispose();
    }
}
