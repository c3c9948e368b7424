// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

public class RecordValidationTests
{
    private readonly NamespacedValidator _validator = NamespacedValidator.CreateDefault();

    [Fact]
    public void Signed_record_verifies_and_its_layout_is_as_documented()
    {
        using var id = Ed25519Identity.Generate();
        var (key, value) = SignedRecord.Create(id, "prekeys", 7, [1, 2, 3]);
        Assert.Equal($"/chhaya/prekeys/{id.PeerId}", System.Text.Encoding.ASCII.GetString(key));
        Assert.Equal(1 + 8 + 4 + 3 + 64, value.Length);
        Assert.Equal(1, value[0]);
        Assert.Equal(7, value[8]);
        Assert.Equal(3, value[12]);
        _validator.Validate(key, value);
        var r = SignedRecord.Verify(key, value);
        Assert.Equal(7UL, r.Sequence);
        Assert.Equal([1, 2, 3], r.Payload);
        Assert.Equal(id.PeerId, r.Owner);
    }

    [Fact]
    public void Forged_tampered_and_misplaced_records_are_refused()
    {
        using var owner = Ed25519Identity.Generate();
        using var forger = Ed25519Identity.Generate();
        var (key, value) = SignedRecord.Create(owner, "prekeys", 1, [9, 9]);

        // Signed by someone else but placed under the owner's key.
        var (_, forged) = SignedRecord.Create(forger, "prekeys", 2, [9, 9]);
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, forged));

        // Any flipped bit.
        for (var i = 0; i < value.Length; i++)
        {
            var bad = (byte[])value.Clone();
            bad[i] ^= 0x01;
            Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, bad));
        }

        // The same value under another name (the key is signed too).
        var other = SignedRecord.KeyFor("profile", owner.PeerId);
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(other, value));

        // Truncated and extended values.
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, value.AsSpan(0, value.Length - 1)));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, [.. value, 0]));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, []));
    }

    [Fact]
    public void Unknown_or_missing_namespaces_are_refused()
    {
        Assert.Throws<InvalidRecordException>(() => _validator.Validate("/ipns/x"u8, [1]));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate("nonamespace"u8, [1]));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate("/"u8, [1]));
        Assert.Throws<InvalidRecordException>(() => _validator.Select("/ipns/x"u8, [[1]]));
    }

    [Fact]
    public void Select_prefers_the_highest_sequence_and_breaks_ties_the_same_way_everywhere()
    {
        using var id = Ed25519Identity.Generate();
        var (key, v1) = SignedRecord.Create(id, "prekeys", 1, [1]);
        var (_, v5) = SignedRecord.Create(id, "prekeys", 5, [5]);
        var (_, v3) = SignedRecord.Create(id, "prekeys", 3, [3]);
        Assert.Equal(1, _validator.Select(key, [v1, v5, v3]));
        Assert.Equal(0, _validator.Select(key, [v5, v1]));

        var (_, a) = SignedRecord.Create(id, "prekeys", 9, [1]);
        var (_, b) = SignedRecord.Create(id, "prekeys", 9, [2]);
        Assert.Equal(_validator.Select(key, [a, b]) == 0 ? a : b, _validator.Select(key, [b, a]) == 0 ? b : a);
    }

    [Fact]
    public void Public_key_records_must_match_the_peer_id()
    {
        using var id = Ed25519Identity.Generate();
        using var other = Ed25519Identity.Generate();
        var key = PublicKeyRecordValidator.KeyFor(id.PeerId);
        _validator.Validate(key, id.PublicKey.Encoded);
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, other.PublicKey.Encoded));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate(key, [1, 2, 3]));
        Assert.Throws<InvalidRecordException>(() => _validator.Validate("/pk/"u8, id.PublicKey.Encoded));
    }

    [Fact]
    public void Record_store_keeps_the_best_record_and_is_bounded()
    {
        using var id = Ed25519Identity.Generate();
        var time = new ManualTime();
        var store = new RecordStore(_validator, maxRecords: 2, maxBytes: 10_000, ttl: TimeSpan.FromHours(1), time);
        var (key, v2) = SignedRecord.Create(id, "a", 2, [2]);
        var (_, v1) = SignedRecord.Create(id, "a", 1, [1]);
        Assert.Equal(RecordPutResult.Stored, store.Put(key, v2));
        Assert.Equal(RecordPutResult.KeptExisting, store.Put(key, v1));
        Assert.Equal(v2, store.Get(key)!.Value.Value);

        var (kb, vb) = SignedRecord.Create(id, "b", 1, [1]);
        var (kc, vc) = SignedRecord.Create(id, "c", 1, [1]);
        Assert.Equal(RecordPutResult.Stored, store.Put(kb, vb));
        Assert.Equal(RecordPutResult.Full, store.Put(kc, vc));
        Assert.Throws<InvalidRecordException>(() => store.Put(kc, vb));

        // Expiry frees room.
        time.Advance(TimeSpan.FromHours(2));
        Assert.Null(store.Get(key));
        Assert.Equal(RecordPutResult.Stored, store.Put(kc, vc));
    }

    [Fact]
    public void Provider_store_expires_entries_drops_old_addresses_and_is_bounded()
    {
        var time = new ManualTime();
        var store = new ProviderStore(maxKeys: 1, maxProvidersPerKey: 2, validity: TimeSpan.FromHours(48), addressTtl: TimeSpan.FromMinutes(30), time);
        var peers = Enumerable.Range(0, 3).Select(_ =>
        {
            using var i = Ed25519Identity.Generate();
            return i.PeerId;
        }).ToList();
        var addr = Chhaya.P2p.Addressing.Multiaddr.Parse("/ip4/127.0.0.1/tcp/1");
        Assert.True(store.Add([1], peers[0], [addr]));
        Assert.True(store.Add([1], peers[1], [addr]));
        Assert.False(store.Add([1], peers[2], [addr]));
        Assert.False(store.Add([2], peers[0], [addr]));
        Assert.Single(store.Get([1])[0].Addresses);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(store.Get([1])[0].Addresses);
        time.Advance(TimeSpan.FromHours(48));
        Assert.Empty(store.Get([1]));
        Assert.True(store.Add([2], peers[2], []));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
