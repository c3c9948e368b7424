// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Sealed;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.Messaging.Tests;

/// <summary>The prekey store survives a restart: export, import, and what a restored store still accepts and refuses.</summary>
public sealed class PrekeySnapshotTests
{
    [Fact]
    public void A_restored_store_answers_a_handshake_made_from_the_old_bundle_and_keeps_consumed_prekeys_consumed()
    {
        using var bobIdentity = Identity.IdentityKeyPair.Generate();
        using var original = new PrekeyStore(bobIdentity);
        var bundle = original.HandOutBundle();
        var consumedId = original.PublishBundle().OneTimeEcPrekeys[^1].Id;
        Assert.True(original.TryConsumeOneTime(consumedId, null));

        using var state = original.Export();
        using var restored = PrekeyStore.Import(bobIdentity, state.ReadOnlySpan);
        Assert.Equal(original.OneTimeEcCount, restored.OneTimeEcCount);
        Assert.Equal(original.OneTimeKemCount, restored.OneTimeKemCount);
        Assert.Equal(original.CurrentSignedPrekeyId, restored.CurrentSignedPrekeyId);
        Assert.False(restored.TryConsumeOneTime(consumedId, null));
        Assert.True(restored.WasIssued(consumedId));

        // Alice starts a session from the bundle the original store handed out; the restored store answers it.
        using var aliceKeys = TestUsers.NewStore();
        using var alice = new MessagingEndpoint(aliceKeys, SenderCertificate.Create(aliceKeys.Identity, [0xA1], "alice", DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600));
        using var bob = new MessagingEndpoint(restored, SenderCertificate.Create(bobIdentity, [0xB0], "bob", DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600));
        alice.StartSession(bobIdentity.PublicKey, bundle);
        var (_, envelope) = alice.SendText(bobIdentity.PublicKey, "after a restart"u8);
        Assert.Equal("after a restart"u8.ToArray(), Assert.Single(bob.Receive(envelope).Released).Body);

        // Restored again after that handshake, the one-time prekeys it used are gone for good: a replay is refused.
        using var after = restored.Export();
        using var again = PrekeyStore.Import(bobIdentity, after.ReadOnlySpan);
        using var bobAgain = new MessagingEndpoint(again, SenderCertificate.Create(bobIdentity, [0xB0], "bob", DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600));
        Assert.Throws<HandshakeException>(() => bobAgain.Receive(envelope));
    }

    [Fact]
    public void Generation_moves_on_every_change_a_persisting_owner_must_save()
    {
        using var identity = Identity.IdentityKeyPair.Generate();
        using var store = new PrekeyStore(identity);
        var before = store.Generation;
        store.HandOutBundle();
        Assert.True(store.Generation > before);
        before = store.Generation;
        Assert.True(store.TryConsumeOneTime(store.PublishBundle().OneTimeEcPrekeys[0].Id, null));
        Assert.True(store.Generation > before);
        before = store.Generation;
        Assert.True(store.Rotate(force: true));
        Assert.True(store.Generation > before);
    }

    [Fact]
    public void Import_refuses_another_identity_truncation_trailing_bytes_and_swapped_keys()
    {
        using var identity = Identity.IdentityKeyPair.Generate();
        using var other = Identity.IdentityKeyPair.Generate();
        using var store = new PrekeyStore(identity, new PrekeyStoreOptions { ReplenishThreshold = 1, TargetOneTimePrekeys = 2, MaxOneTimePrekeys = 4 });
        using var state = store.Export();
        var bytes = state.ReadOnlySpan.ToArray();

        Assert.Throws<MalformedInputException>(() => PrekeyStore.Import(other, bytes).Dispose());
        Assert.Throws<MalformedInputException>(() => PrekeyStore.Import(identity, bytes.AsSpan(0, bytes.Length - 1)).Dispose());
        Assert.Throws<MalformedInputException>(() => PrekeyStore.Import(identity, [.. bytes, 0]).Dispose());
        Assert.Throws<MalformedInputException>(() => PrekeyStore.Import(identity, [2, .. bytes.AsSpan(1)]).Dispose());

        // The private key of the first signed prekey flipped: it no longer matches its signed public key.
        var flipped = (byte[])bytes.Clone();
        flipped[1 + 12 + 2 + 4 + 8 + 32 + 64 + 5] ^= 0x10; // a bit X25519 clamping keeps
        Assert.Throws<MalformedInputException>(() => PrekeyStore.Import(identity, flipped).Dispose());

        // Random damage anywhere is refused cleanly or yields a consistent store; never another exception.
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                PrekeyStore.Import(identity, damaged).Dispose();
            }
            catch (MalformedInputException)
            {
            }
        }
    }

    [Fact]
    public void A_prekey_record_round_trips_and_refuses_malformed_input()
    {
        using var store = TestUsers.NewStore();
        using var mailboxIdentity = Ed25519Identity.Generate();
        var record = new PrekeyRecord(store.PublishBundle(0), [mailboxIdentity.PeerId]);
        var encoded = record.Encode();
        var decoded = PrekeyRecord.Decode(encoded);
        Assert.True(decoded.Bundle.Verify());
        Assert.Equal(mailboxIdentity.PeerId, Assert.Single(decoded.Mailboxes));
        Assert.Equal(encoded, decoded.Encode());

        Assert.Throws<MalformedInputException>(() => PrekeyRecord.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => PrekeyRecord.Decode([.. encoded, 0]));
        Assert.Throws<MalformedInputException>(() => PrekeyRecord.Decode([2, .. encoded.AsSpan(1)]));
        var tooMany = (byte[])encoded.Clone();
        tooMany[encoded.Length - 1 - mailboxIdentity.PeerId.Bytes.Length - 1] = PrekeyRecord.MaxMailboxes + 1;
        Assert.Throws<MalformedInputException>(() => PrekeyRecord.Decode(tooMany));
        Assert.Throws<MalformedInputException>(() => PrekeyRecord.Decode(new byte[PrekeyRecord.MaxEncodedLength + 1]));
    }
}
