// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;

namespace Chhaya.Messaging.Tests;

/// <summary>A message held back for ordering has used its ratchet key, so it must survive a restart with the state.</summary>
public sealed class HeldMessagesTests
{
    [Fact]
    public void A_message_held_for_a_gap_is_released_in_order_after_a_restart()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var aliceStore = TestUsers.NewStore(time: time);
        using var bobStore = TestUsers.NewStore(time: time);
        using var alice = Endpoint(aliceStore, "alice", time);
        using var bob = Endpoint(bobStore, "bob", time);
        alice.StartSession(bobStore.Identity.PublicKey, bobStore.PublishBundle(0));
        var first = alice.SendText(bobStore.Identity.PublicKey, "one"u8).Envelope;
        var second = alice.SendText(bobStore.Identity.PublicKey, "two"u8).Envelope;

        var early = bob.Receive(second);
        Assert.Equal(ReceiveOutcome.Message, early.Outcome);
        Assert.Empty(early.Released);
        var (peer, message, since) = Assert.Single(bob.ExportHeld());
        Assert.Equal(2UL, message.Sequence);

        // What the node saves, and a new endpoint built from it.
        PrekeyStore store;
        using (var prekeys = bobStore.Export())
        {
            store = PrekeyStore.Import(bobStore.Identity, prekeys.ReadOnlySpan, bobStore.Options, time);
        }

        using var restarted = Endpoint(store, "bob", time);
        using (var state = bob.SessionWith(alice.Identity.PublicKey)!.ExportState())
        {
            restarted.AdoptSession(RatchetSession.ImportState(state.ReadOnlySpan, null, time));
        }

        restarted.RestoreAcceptedBaseKeys(bob.ExportAcceptedBaseKeys());
        foreach (var (p, counters) in bob.ExportCounters())
        {
            restarted.RestoreCounters(p, counters.Sent, counters.NextExpected);
        }

        Assert.True(restarted.RestoreHeld(peer, message, since));
        Assert.False(restarted.RestoreHeld(peer, message, since)); // once only
        Assert.False(restarted.RestoreHeld(peer, message with { MessageId = new byte[3] }, since)); // checked like input

        var released = restarted.Receive(first).Released;
        Assert.Equal(["one", "two"], released.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.All(released, m => Assert.False(m.Late));
        Assert.Empty(restarted.ExportHeld());
    }

    [Fact]
    public void A_held_message_behind_the_next_expected_number_is_not_restored()
    {
        var inbox = new ConversationInbox(TimeSpan.FromMinutes(2));
        inbox.ResumeAt(5);
        Assert.False(inbox.RestoreHeld(new InboundMessage(new byte[16], 4, 0, [], false), 0));
        Assert.True(inbox.RestoreHeld(new InboundMessage(new byte[16], 6, 0, [], false), 0));
        Assert.Single(inbox.ExportHeld());
    }

    private static MessagingEndpoint Endpoint(PrekeyStore store, string handle, TimeProvider time) =>
        new(store, SenderCertificate.Create(store.Identity, [1, 2], handle, time.GetUtcNow().ToUnixTimeSeconds() + 86400), time: time);
}
