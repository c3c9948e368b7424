// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Prekeys;
using Chhaya.Safety;

namespace Chhaya.Messaging.Tests;

public sealed class PrekeyTests
{
    [Fact]
    public void A_published_bundle_verifies_and_round_trips_byte_for_byte()
    {
        using var store = TestUsers.NewStore(oneTime: 3);
        var bundle = store.PublishBundle();
        Assert.True(bundle.Verify());
        Assert.Equal(3, bundle.OneTimeEcPrekeys.Count);
        Assert.Equal(3, bundle.OneTimeKemPrekeys.Count);
        var encoded = bundle.Encode();
        var decoded = PrekeyBundle.Decode(encoded);
        Assert.True(decoded.Verify());
        Assert.Equal(encoded, decoded.Encode());
        Assert.True(encoded.Length <= PrekeyBundle.MaxEncodedLength);
    }

    [Fact]
    public void Every_flipped_signature_bit_is_caught()
    {
        using var store = TestUsers.NewStore(oneTime: 1);
        var encoded = store.PublishBundle().Encode();
        var random = new Random(7);
        for (var i = 0; i < 64; i++)
        {
            var tampered = (byte[])encoded.Clone();
            tampered[1 + random.Next(encoded.Length - 3)] ^= (byte)(1 << random.Next(8));
            PrekeyBundle bundle;
            try
            {
                bundle = PrekeyBundle.Decode(tampered);
            }
            catch (MalformedInputException)
            {
                continue; // flipped a count or made ids unordered
            }

            Assert.False(bundle.Verify());
        }
    }

    [Fact]
    public void A_signature_cannot_move_to_another_kind_or_owner()
    {
        using var store = TestUsers.NewStore(oneTime: 1);
        using var other = TestUsers.NewStore(oneTime: 1);
        var bundle = store.PublishBundle();
        var otk = bundle.OneTimeEcPrekeys[0];
        var asSigned = otk with { Kind = PrekeyKind.SignedEc };
        Assert.False(asSigned.Verify(bundle.IdentityKey));
        Assert.False(otk.Verify(other.Identity.PublicKey));
        Assert.True(otk.Verify(bundle.IdentityKey));
    }

    [Fact]
    public void Decoding_refuses_versions_trailing_bytes_truncation_and_oversize()
    {
        using var store = TestUsers.NewStore(oneTime: 1);
        var encoded = store.PublishBundle().Encode();
        var wrongVersion = (byte[])encoded.Clone();
        wrongVersion[0] = 2;
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(wrongVersion));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode([.. encoded, 0]));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => PrekeyBundle.Decode(new byte[PrekeyBundle.MaxEncodedLength + 1]));
    }

    [Fact]
    public void One_time_prekeys_are_consumed_exactly_once()
    {
        using var store = TestUsers.NewStore(oneTime: 2);
        var bundle = store.PublishBundle();
        var ec = bundle.OneTimeEcPrekeys[0].Id;
        var kem = bundle.OneTimeKemPrekeys[0].Id;
        Assert.True(store.TryConsumeOneTime(ec, kem));
        Assert.False(store.TryConsumeOneTime(ec, null));
        Assert.False(store.TryConsumeOneTime(null, kem));
        Assert.True(store.WasIssued(ec));
        Assert.DoesNotContain(store.PublishBundle().OneTimeEcPrekeys, p => p.Id == ec);
    }

    [Fact]
    public void A_failed_joint_consumption_consumes_nothing()
    {
        using var store = TestUsers.NewStore(oneTime: 2);
        var bundle = store.PublishBundle();
        var ec = bundle.OneTimeEcPrekeys[0].Id;
        Assert.False(store.TryConsumeOneTime(ec, 999_999));
        Assert.True(store.TryConsumeOneTime(ec, null));
    }

    [Fact]
    public void The_store_replenishes_below_the_threshold()
    {
        using var store = new PrekeyStore(
            Identity.IdentityKeyPair.Generate(), new PrekeyStoreOptions { ReplenishThreshold = 2, TargetOneTimePrekeys = 4, MaxOneTimePrekeys = 8 });
        Assert.Equal(4, store.OneTimeEcCount);
        var bundle = store.PublishBundle();
        Assert.True(store.TryConsumeOneTime(bundle.OneTimeEcPrekeys[0].Id, bundle.OneTimeKemPrekeys[0].Id));
        Assert.Equal(0, store.Replenish()); // 3 left, not below 2
        Assert.True(store.TryConsumeOneTime(bundle.OneTimeEcPrekeys[1].Id, bundle.OneTimeKemPrekeys[1].Id));
        Assert.True(store.TryConsumeOneTime(bundle.OneTimeEcPrekeys[2].Id, bundle.OneTimeKemPrekeys[2].Id));
        Assert.Equal(6, store.Replenish()); // 1 left of each: back up to 4 of each
        Assert.Equal(4, store.OneTimeEcCount);
        Assert.Equal(4, store.OneTimeKemCount);
        var ids = store.PublishBundle().OneTimeEcPrekeys.Select(p => p.Id).ToList();
        Assert.DoesNotContain(bundle.OneTimeEcPrekeys[0].Id, ids);
    }

    [Fact]
    public void The_signed_prekey_rotates_after_its_lifetime_and_the_old_one_expires_after_the_grace()
    {
        var time = new ManualTime();
        using var store = new PrekeyStore(
            Identity.IdentityKeyPair.Generate(),
            new PrekeyStoreOptions { SignedPrekeyLifetime = TimeSpan.FromDays(7), RetiredPrekeyGrace = TimeSpan.FromDays(3) },
            time);
        var first = store.CurrentSignedPrekeyId;
        Assert.False(store.Rotate());
        time.Advance(TimeSpan.FromDays(7));
        Assert.True(store.Rotate());
        var second = store.CurrentSignedPrekeyId;
        Assert.NotEqual(first, second);
        using (var old = store.SignedPrekeyPrivate(first, out _))
        {
            Assert.NotNull(old); // still accepted during the grace period
        }

        time.Advance(TimeSpan.FromDays(3));
        store.Rotate();
        Assert.Null(store.SignedPrekeyPrivate(first, out _));
        using var current = store.SignedPrekeyPrivate(second, out _);
        Assert.NotNull(current);
        Assert.True(store.PublishBundle().Verify());
    }
}
