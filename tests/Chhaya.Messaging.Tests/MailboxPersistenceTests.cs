// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.LogStore.Mailbox;
using Chhaya.LogStore.Storage;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Storage;
using Chhaya.Messaging.Transport;
using Chhaya.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Messaging.Tests;

/// <summary>The mailbox on a real SQLite file.</summary>
public sealed class SqliteMailboxPersistenceTests : MailboxPersistenceTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<StorageOptions> CreateOptionsAsync() =>
        Task.FromResult(new StorageOptions { SqlitePath = Path.Combine(_directory.Path, $"mailbox-{Guid.NewGuid():N}.db") });
}

/// <summary>The mailbox on a real PostgreSQL server (see Chhaya.Testing.PostgresTestServer).</summary>
public sealed class PostgresMailboxPersistenceTests : MailboxPersistenceTests
{
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await PostgresTestServer.CreateDatabaseAsync("mailbox") };
}

/// <summary>
/// A mailbox kept in the node database: every test "restarts" the mailbox by building a new one on the same database
/// and loading it, as a restarted node does.
/// </summary>
public abstract class MailboxPersistenceTests
{
    private static readonly byte[] MailboxId = [0x4D, 0x42, 0x01];

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    [Fact]
    public async Task A_restarted_mailbox_still_delivers_the_envelope_and_it_opens()
    {
        var contexts = await NewDatabaseAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var aliceStore = TestUsers.NewStore(time: time);
        using var bobStore = TestUsers.NewStore(time: time);
        using var alice = new MessagingEndpoint(aliceStore, SenderCertificate.Create(aliceStore.Identity, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400), time: time);
        using var bob = new MessagingEndpoint(bobStore, SenderCertificate.Create(bobStore.Identity, [2], "bob", time.GetUtcNow().ToUnixTimeSeconds() + 86400), time: time);
        alice.StartSession(bobStore.Identity.PublicKey, bobStore.PublishBundle(0));

        using (var before = await OpenAsync(contexts, time))
        {
            await before.ServeAsync(bobStore.Identity.PublicKey.ToArray(), CancellationToken.None);
            Assert.True(await before.TryDepositAsync(alice.SendText(bobStore.Identity.PublicKey, "kept across a restart"u8).Envelope, CancellationToken.None));
        }

        using var after = await OpenAsync(contexts, time);
        Assert.Equal(1, after.CountFor(bobStore.Identity.PublicKey));
        var held = Assert.Single(await Collect(after, bobStore.Identity, time, 0));
        Assert.Equal("kept across a restart"u8.ToArray(), Assert.Single(bob.Receive(held.Envelope).Released).Body);
    }

    [Fact]
    public async Task Handed_over_envelopes_stay_until_acknowledged_and_an_acknowledgement_from_before_a_restart_deletes_nothing_new()
    {
        var contexts = await NewDatabaseAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var bob = IdentityKeyPair.Generate();
        using var alice = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        HeldEnvelope[] first;
        using (var mailbox = await OpenAsync(contexts, time))
        {
            await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 1024), CancellationToken.None));
            first = [.. await Collect(mailbox, bob, time, 0)];
            Assert.Equal(2, first.Length);
            Assert.True(first[0].Sequence < first[1].Sequence);
        }

        // The collector crashed before saving: the restarted mailbox hands both over again. An acknowledgement naming
        // envelopes this process has not handed over yet deletes nothing (they may be new ones under reused numbers).
        using (var mailbox = await OpenAsync(contexts, time))
        {
            var again = await Collect(mailbox, bob, time, first[1].Sequence);
            Assert.Equal(first.Select(e => e.Sequence), again.Select(e => e.Sequence));
            Assert.Equal(first.Select(e => e.Envelope), again.Select(e => e.Envelope));

            // Now acknowledged: gone, from memory and from the database.
            Assert.Empty(await Collect(mailbox, bob, time, again[^1].Sequence));
        }

        using (var mailbox = await OpenAsync(contexts, time))
        {
            Assert.Equal(0, mailbox.CountFor(bob.PublicKey));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
            Assert.True(Assert.Single(await Collect(mailbox, bob, time, 0)).Sequence > first[1].Sequence); // numbers are never reused
        }

        using var context = contexts.Create();
        Assert.Equal(1, await context.MailboxEnvelopes.CountAsync());
    }

    [Fact]
    public async Task Quotas_and_the_total_cap_hold_after_a_restart()
    {
        var contexts = await NewDatabaseAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var options = new MailboxOptions { MaxEnvelopesPerRecipient = 2, MaxTotalBytes = 3 * 512 };
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var carol = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        using (var mailbox = await OpenAsync(contexts, time, options))
        {
            await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
            await mailbox.ServeAsync(carol.PublicKey.ToArray(), CancellationToken.None);
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, carol.PublicKey, 512), CancellationToken.None));
        }

        using var restarted = await OpenAsync(contexts, time, options);
        Assert.Equal(3 * 512, restarted.TotalBytes);
        Assert.False(await restarted.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None)); // Bob's quota
        Assert.False(await restarted.TryDepositAsync(SealedSender.SealCover(alice, cert, carol.PublicKey, 512), CancellationToken.None)); // the total cap
        Assert.Equal(2, restarted.CountFor(bob.PublicKey));

        // Registrations survive too: Carol is still served, and her replayed collection request is still refused.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = carol.Sign(Mailbox.CollectStatement(MailboxId, carol.PublicKey, now, 0));
        Assert.Single(await restarted.CollectAsync(carol.PublicKey.ToArray(), now, 0, signature, CancellationToken.None));
        using var again = await OpenAsync(contexts, time, options);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => again.CollectAsync(carol.PublicKey.ToArray(), now, 0, signature, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_envelopes_are_dropped_on_restart_and_by_the_sweep_and_leave_the_database()
    {
        var contexts = await NewDatabaseAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var options = new MailboxOptions { Retention = TimeSpan.FromHours(1) };
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        using (var mailbox = await OpenAsync(contexts, time, options))
        {
            await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
            time.Advance(TimeSpan.FromMinutes(40));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
        }

        time.Advance(TimeSpan.FromMinutes(30)); // the first is 70 minutes old, the second 30
        using (var mailbox = await OpenAsync(contexts, time, options))
        {
            Assert.Equal(1, mailbox.CountFor(bob.PublicKey));
            time.Advance(TimeSpan.FromMinutes(31));
            Assert.Equal(1, await mailbox.SweepAsync(CancellationToken.None));
            Assert.Equal(0, mailbox.CountFor(bob.PublicKey));
            Assert.Equal(0, mailbox.TotalBytes);
        }

        using var context = contexts.Create();
        Assert.Equal(0, await context.MailboxEnvelopes.CountAsync());

        // A recipient silent for longer than the retention time is dropped too, freeing its place.
        time.Advance(TimeSpan.FromHours(2));
        using (var mailbox = await OpenAsync(contexts, time, options))
        {
            await mailbox.SweepAsync(CancellationToken.None);
        }

        Assert.Equal(0, await context.MailboxRecipients.CountAsync());
    }

    [Fact]
    public async Task Rows_read_back_from_the_database_are_checked_like_network_input()
    {
        var contexts = await NewDatabaseAsync();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var carol = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        using (var mailbox = await OpenAsync(contexts, time))
        {
            await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
        }

        var bobTag = Convert.ToHexString(SealedEnvelope.TagOf(bob.PublicKey));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var mailboxId = Convert.ToHexString(MailboxId);
        var notAnEnvelope = new byte[512];
        notAnEnvelope[0] = 9;
        using (var context = contexts.Create())
        {
            context.MailboxEnvelopes.AddRange(
                Row(mailboxId, bobTag, 10, now, SealedSender.SealCover(alice, cert, carol.PublicKey, 512)), // someone else's envelope
                Row(mailboxId, bobTag, 11, now, notAnEnvelope),
                Row(mailboxId, bobTag, 12, now, new byte[700]), // not a bucket size
                Row(mailboxId, bobTag, 13, now + (long)TimeSpan.FromDays(1).TotalMilliseconds, SealedSender.SealCover(alice, cert, bob.PublicKey, 512)), // dated in the future
                Row(mailboxId, bobTag, 14, now, new byte[1 << 20])); // far too long: never even read
            context.MailboxRecipients.Add(new MailboxRecipientRow { MailboxId = mailboxId, RecipientTag = "not hex", NextSequence = 1, LastSeenUnixMs = now });
            await context.SaveChangesAsync();
        }

        using (var mailbox = await OpenAsync(contexts, time))
        {
            Assert.Equal(1, mailbox.CountFor(bob.PublicKey));
            Assert.Equal(512, mailbox.TotalBytes);
        }

        using var check = contexts.Create();
        var left = await check.MailboxEnvelopes.Select(r => r.Sequence).OrderBy(s => s).ToListAsync();
        Assert.DoesNotContain(10L, left);
        Assert.DoesNotContain(11L, left);
        Assert.DoesNotContain(12L, left);
        Assert.DoesNotContain(13L, left);
        Assert.Equal(1, await check.MailboxRecipients.CountAsync());
    }

    [Fact]
    public async Task A_store_that_fails_makes_the_deposit_fail_and_nothing_is_held()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        var store = new FailingStore();
        using var mailbox = new Mailbox(MailboxId, null, time, store);
        await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
        store.Failing = true;
        await Assert.ThrowsAsync<IOException>(() => mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, bob.PublicKey, 512), CancellationToken.None));
        Assert.Equal(0, mailbox.CountFor(bob.PublicKey));
        Assert.Equal(0, mailbox.TotalBytes);
    }

    private static MailboxEnvelopeRow Row(string mailboxId, string tag, long sequence, long at, byte[] envelope) =>
        new() { MailboxId = mailboxId, RecipientTag = tag, Sequence = sequence, StoredAtUnixMs = at, Envelope = envelope };

    private static Task<IReadOnlyList<HeldEnvelope>> Collect(Mailbox mailbox, IdentityKeyPair recipient, ManualTime time, long acknowledged)
    {
        time.Advance(TimeSpan.FromMilliseconds(1)); // each request carries a later timestamp
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = recipient.Sign(Mailbox.CollectStatement(MailboxId, recipient.PublicKey, now, acknowledged));
        return mailbox.CollectAsync(recipient.PublicKey.ToArray(), now, acknowledged, signature, CancellationToken.None);
    }

    private static async Task<Mailbox> OpenAsync(LogStoreContextFactory contexts, TimeProvider time, MailboxOptions? options = null)
    {
        var mailbox = new Mailbox(MailboxId, options, time, new LogStoreMailboxStore(contexts, MailboxId));
        await mailbox.LoadAsync(CancellationToken.None);
        return mailbox;
    }

    private async Task<LogStoreContextFactory> NewDatabaseAsync()
    {
        var contexts = new LogStoreContextFactory(await CreateOptionsAsync());
        await new HistoryStore(contexts, NullLogger<HistoryStore>.Instance).MigrateAsync(CancellationToken.None);
        return contexts;
    }

    private sealed class FailingStore : IMailboxStore
    {
        public bool Failing { get; set; }

        public Task<IReadOnlyList<StoredRecipient>> ReadRecipientsAsync(int limit, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredRecipient>>([]);

        public Task<IReadOnlyList<StoredEnvelope>> ReadEnvelopesAsync(string tag, int limit, int maxEnvelopeLength, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredEnvelope>>([]);

        public Task SaveRecipientAsync(StoredRecipient recipient, CancellationToken cancellationToken) => Fail();

        public Task AddEnvelopeAsync(StoredEnvelope envelope, CancellationToken cancellationToken) => Fail();

        public Task DeleteEnvelopesAsync(string tag, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken) => Fail();

        public Task<int> DeleteEnvelopesOutsideAsync(long cutoffUnixMs, long futureUnixMs, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task DeleteRecipientAsync(string tag, CancellationToken cancellationToken) => Fail();

        private Task Fail() => Failing ? Task.FromException(new IOException("disk full")) : Task.CompletedTask;
    }
}
