// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Storage;
using Chhaya.Safety;
using Chhaya.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Messaging.Tests;

/// <summary>Ratchet states on a real SQLite file.</summary>
public sealed class SqliteRatchetStateStoreTests : RatchetStateStoreTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<StorageOptions> CreateOptionsAsync() =>
        Task.FromResult(new StorageOptions { SqlitePath = Path.Combine(_directory.Path, $"msg-{Guid.NewGuid():N}.db") });
}

/// <summary>Ratchet states on a real PostgreSQL server (see Chhaya.Testing.PostgresTestServer).</summary>
public sealed class PostgresRatchetStateStoreTests : RatchetStateStoreTests
{
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await PostgresTestServer.CreateDatabaseAsync("messaging") };
}

/// <summary>Ratchet states written through LogStore's history, encrypted, and read back.</summary>
public abstract class RatchetStateStoreTests
{
    protected abstract Task<StorageOptions> CreateOptionsAsync();

    [Fact]
    public async Task The_latest_snapshot_is_loaded_and_continues_the_conversation()
    {
        var history = await NewHistoryAsync();
        using var storageKey = SecretBytes.Random(32);
        using var protector = new RatchetStateProtector(storageKey);
        var store = new RatchetStateStore(history, protector);
        using var aliceId = IdentityKeyPair.Generate();
        using var bobStore = TestUsers.NewStore();
        var (alice, bob) = TestUsers.Pair(aliceId, bobStore);
        using (alice)
        using (bob)
        {
            Assert.Equal(1, await store.SaveAsync(bob, CancellationToken.None));
            var m1 = alice.Encrypt("one"u8);
            var m2 = alice.Encrypt("two"u8);
            bob.Decrypt(m2);
            Assert.Equal(2, await store.SaveAsync(bob, CancellationToken.None));

            using var loaded = await store.LoadAsync(bob.SessionId, null, null, CancellationToken.None);
            Assert.NotNull(loaded);
            Assert.Equal(2, loaded.SnapshotVersion);
            Assert.Equal("one"u8.ToArray(), loaded.Decrypt(m1)); // the skipped key survived the trip
            Assert.Throws<RatchetException>(() => loaded.Decrypt(m2)); // and the replay check too
            Assert.Equal("back"u8.ToArray(), alice.Decrypt(loaded.Encrypt("back"u8)));
        }

        Assert.Null(await store.LoadAsync("no-such-session", null, null, CancellationToken.None));
        var reports = await history.VerifyAsync(null, CancellationToken.None);
        Assert.All(reports, r => Assert.True(r.Intact, r.ToString()));
    }

    [Fact]
    public async Task The_snapshot_the_saved_state_names_is_loaded_even_when_a_later_one_exists_and_numbers_are_not_reused()
    {
        var history = await NewHistoryAsync();
        using var storageKey = SecretBytes.Random(32);
        using var protector = new RatchetStateProtector(storageKey);
        var store = new RatchetStateStore(history, protector);
        using var aliceId = IdentityKeyPair.Generate();
        using var bobStore = TestUsers.NewStore();
        var (alice, bob) = TestUsers.Pair(aliceId, bobStore);
        using (alice)
        using (bob)
        {
            Assert.Equal(1, await store.SaveAsync(bob, CancellationToken.None)); // the state file names version 1
            var message = alice.Encrypt("not yet saved"u8);
            bob.Decrypt(message);
            Assert.Equal(2, await store.SaveAsync(bob, CancellationToken.None)); // ... and the node stops before naming 2

            // On restart version 1 is loaded: the message key is still there, so the message offered again is read.
            using var restarted = await store.LoadVersionAsync(bob.SessionId, 1, null, null, CancellationToken.None);
            Assert.NotNull(restarted);
            Assert.Equal("not yet saved"u8.ToArray(), restarted.Decrypt(message));
            Assert.Equal(3, await store.SaveAsync(restarted, CancellationToken.None)); // never a second version 2
            using var latest = await store.LoadAsync(bob.SessionId, null, null, CancellationToken.None);
            Assert.Equal(3, latest!.SnapshotVersion);
            Assert.Throws<RatchetException>(() => latest.Decrypt(message));
        }

        Assert.Null(await store.LoadVersionAsync("no-such-session", 1, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Rows_hold_no_plaintext_key_material_and_need_the_storage_key()
    {
        var history = await NewHistoryAsync();
        using var storageKey = SecretBytes.Random(32);
        using var protector = new RatchetStateProtector(storageKey);
        using var aliceId = IdentityKeyPair.Generate();
        using var bobStore = TestUsers.NewStore();
        var (alice, bob) = TestUsers.Pair(aliceId, bobStore);
        using (alice)
        using (bob)
        {
            await new RatchetStateStore(history, protector).SaveAsync(bob, CancellationToken.None);
            using var plain = bob.ExportState();

            using var context = history.Contexts.Create();
            var row = await context.Set<RatchetStateRecord>().AsNoTracking().SingleAsync();
            Assert.Equal(bob.SessionId, row.SessionId);

            // No 16-byte window of the plaintext state (which holds root, chain and ratchet keys) appears in the row.
            var stored = Convert.ToHexString(row.EncryptedState);
            for (var i = 0; i + 16 <= plain.Length; i += 8)
            {
                Assert.DoesNotContain(Convert.ToHexString(plain.ReadOnlySpan.Slice(i, 16)), stored, StringComparison.Ordinal);
            }

            using var otherKey = SecretBytes.Random(32);
            using var wrong = new RatchetStateProtector(otherKey);
            await Assert.ThrowsAsync<CryptographicException>(() => new RatchetStateStore(history, wrong).LoadAsync(bob.SessionId, null, null, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Receipts_are_recorded_in_the_delivery_receipts_history()
    {
        var history = await NewHistoryAsync();
        var log = new DeliveryReceiptLog(history);
        var ids = new[] { new byte[16], Enumerable.Repeat((byte)1, 16).ToArray() };
        var peer = new byte[32];
        await log.RecordAsync(peer, Conversations.ConversationContent.Receipt(Conversations.ContentKind.Read, ids), CancellationToken.None);
        using var context = history.Contexts.Create();
        var rows = await context.Set<DeliveryReceiptRecord>().AsNoTracking().OrderBy(r => r.Sequence).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("read", r.Status));
        Assert.Equal(Convert.ToHexStringLower(ids[1]), rows[1].MessageId);
        await Assert.ThrowsAsync<ArgumentException>(() => log.RecordAsync(peer, Conversations.ConversationContent.Text(new byte[16], 1, 0, []), CancellationToken.None));
    }

    private async Task<HistoryStore> NewHistoryAsync()
    {
        var options = await CreateOptionsAsync();
        var history = new HistoryStore(new LogStoreContextFactory(options), NullLogger<HistoryStore>.Instance);
        await history.MigrateAsync(CancellationToken.None);
        return history;
    }
}
