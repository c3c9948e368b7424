// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;

namespace Chhaya.Messaging.Tests;

/// <summary>Two users' endpoints exchanging sealed envelopes (no network: the envelopes are handed over directly).</summary>
public sealed class EndpointTests : IDisposable
{
    private readonly ManualTime _time = new();
    private readonly PrekeyStore _aliceKeys = TestUsers.NewStore();
    private readonly PrekeyStore _bobKeys = TestUsers.NewStore();
    private readonly MessagingEndpoint _alice;
    private readonly MessagingEndpoint _bob;

    public EndpointTests()
    {
        var expires = _time.GetUtcNow().ToUnixTimeSeconds() + 86400;
        _alice = new MessagingEndpoint(_aliceKeys, SenderCertificate.Create(_aliceKeys.Identity, [0xA1], "alice", expires), time: _time, orderingWait: TimeSpan.FromMinutes(1));
        _bob = new MessagingEndpoint(_bobKeys, SenderCertificate.Create(_bobKeys.Identity, [0xB0], "bob", expires), time: _time, orderingWait: TimeSpan.FromMinutes(1));
    }

    private byte[] AliceId => _aliceKeys.Identity.PublicKey.ToArray();

    private byte[] BobId => _bobKeys.Identity.PublicKey.ToArray();

    [Fact]
    public void A_conversation_starts_from_a_bundle_and_flows_both_ways_in_order()
    {
        _alice.StartSession(BobId, _bobKeys.PublishBundle());
        var (m1, e1) = _alice.SendText(BobId, "one"u8);
        var (_, e2) = _alice.SendText(BobId, "two"u8);
        var (_, e3) = _alice.SendText(BobId, "three"u8);
        Assert.Equal(4096, e1.Length); // PQXDH initial messages carry an ML-KEM ciphertext

        // Delivered out of order: two arrives first and is held until one fills the gap.
        var r2 = _bob.Receive(e2);
        Assert.Equal(ReceiveOutcome.Message, r2.Outcome);
        Assert.Empty(r2.Released);
        Assert.Equal("alice", r2.Sender!.Handle);
        Assert.Equal(["one", "two"], _bob.Receive(e1).Released.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Equal("three"u8.ToArray(), Assert.Single(_bob.Receive(e3).Released).Body);

        // Bob answers with a delivery receipt and a text; after that Alice's messages are plain ratchet messages.
        var receipt = _alice.Receive(_bob.SendReceipt(AliceId, ContentKind.Delivered, [m1.MessageId]));
        Assert.Equal(ReceiveOutcome.Receipt, receipt.Outcome);
        Assert.Equal(ContentKind.Delivered, receipt.ReceiptKind);
        Assert.Equal(m1.MessageId, Assert.Single(receipt.ReceiptFor));
        Assert.Equal("hi alice"u8.ToArray(), Assert.Single(_alice.Receive(_bob.SendText(AliceId, "hi alice"u8).Envelope).Released).Body);
        var (_, e4) = _alice.SendText(BobId, "four"u8);
        Assert.Equal(512, e4.Length);
        Assert.Equal("four"u8.ToArray(), Assert.Single(_bob.Receive(e4).Released).Body);
        var read = _alice.Receive(_bob.SendReceipt(AliceId, ContentKind.Read, [m1.MessageId]));
        Assert.Equal(ContentKind.Read, read.ReceiptKind);

        Assert.Equal(_alice.SessionWith(BobId)!.SessionId, _bob.SessionWith(AliceId)!.SessionId);
    }

    [Fact]
    public void The_initial_message_consumes_one_time_prekeys_and_a_replay_to_a_restarted_endpoint_is_refused()
    {
        var ecBefore = _bobKeys.OneTimeEcCount;
        var kemBefore = _bobKeys.OneTimeKemCount;
        _alice.StartSession(BobId, _bobKeys.PublishBundle());
        var (_, first) = _alice.SendText(BobId, "first"u8);
        _bob.Receive(first);
        Assert.Equal(ecBefore - 1, _bobKeys.OneTimeEcCount);
        Assert.Equal(kemBefore - 1, _bobKeys.OneTimeKemCount);

        // The same envelope again: the session exists, and the ratchet refuses the replay.
        Assert.Throws<RatchetException>(() => _bob.Receive(first));

        // Bob restarts without his session table; the envelope names one-time prekeys that are gone.
        using var restarted = new MessagingEndpoint(_bobKeys, SenderCertificate.Create(_bobKeys.Identity, [0xB0], "bob", _time.GetUtcNow().ToUnixTimeSeconds() + 60), time: _time);
        var e = Assert.Throws<HandshakeException>(() => restarted.Receive(first));
        Assert.Contains("already used", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_without_one_time_prekeys_uses_the_last_resort_kem_prekey()
    {
        _alice.StartSession(BobId, _bobKeys.PublishBundle(oneTimeCount: 0));
        var ecBefore = _bobKeys.OneTimeEcCount;
        Assert.Equal("x"u8.ToArray(), Assert.Single(_bob.Receive(_alice.SendText(BobId, "x"u8).Envelope).Released).Body);
        Assert.Equal(ecBefore, _bobKeys.OneTimeEcCount);
        Assert.Equal(PrekeyKind.LastResortKem, _alice.SessionWith(BobId)!.PendingPrekey!.KemPrekeyKind);
    }

    [Fact]
    public void A_resealed_message_is_dropped_as_a_duplicate()
    {
        _alice.StartSession(BobId, _bobKeys.PublishBundle());
        var (content, envelope) = _alice.SendText(BobId, "once"u8);
        Assert.Single(_bob.Receive(envelope).Released);
        var again = _bob.Receive(_alice.Reseal(BobId, content));
        Assert.Equal(ReceiveOutcome.Duplicate, again.Outcome);
        Assert.Empty(again.Released);
    }

    [Fact]
    public void Cover_envelopes_are_dropped_and_leave_the_conversation_alone()
    {
        _alice.StartSession(BobId, _bobKeys.PublishBundle());
        Assert.Equal(ReceiveOutcome.Cover, _bob.Receive(_alice.SendCover(BobId, 1024)).Outcome);
        Assert.Null(_bob.SessionWith(AliceId));
        Assert.Single(_bob.Receive(_alice.SendText(BobId, "real"u8).Envelope).Released);
        Assert.Equal(ReceiveOutcome.Cover, _bob.Receive(_alice.SendCover(BobId, 512)).Outcome);
    }

    [Fact]
    public void A_gap_that_never_fills_is_given_up_after_the_wait_and_the_late_message_is_still_delivered()
    {
        _alice.StartSession(BobId, _bobKeys.PublishBundle());
        var (_, lost) = _alice.SendText(BobId, "lost"u8);
        var (_, e2) = _alice.SendText(BobId, "two"u8);
        Assert.Empty(_bob.Receive(e2).Released);
        Assert.Empty(_bob.ReleaseStalled());
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("two"u8.ToArray(), Assert.Single(_bob.ReleaseStalled()).Message.Body);
        var late = Assert.Single(_bob.Receive(lost).Released);
        Assert.True(late.Late);
    }

    [Fact]
    public void Sending_without_a_session_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => _alice.SendText(BobId, "x"u8));
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _aliceKeys.Dispose();
        _bobKeys.Dispose();
    }
}
