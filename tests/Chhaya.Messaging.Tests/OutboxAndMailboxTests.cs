// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Transport;
using Chhaya.Safety;

namespace Chhaya.Messaging.Tests;

public sealed class OutboxAndMailboxTests
{
    [Fact]
    public async Task The_outbox_retries_with_growing_back_off_until_delivered()
    {
        var time = new ManualTime();
        var outbox = new Outbox(new OutboxOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) }, time);
        outbox.Enqueue("bob", new byte[512]);
        var online = false;
        var attempts = 0;
        Task<bool> Send(OutboxEntry e, CancellationToken ct)
        {
            attempts++;
            return Task.FromResult(online);
        }

        Assert.Equal((0, 1, 0), await outbox.DeliverDueAsync(Send, CancellationToken.None));
        Assert.Equal((0, 0, 0), await outbox.DeliverDueAsync(Send, CancellationToken.None)); // not due yet
        time.Advance(TimeSpan.FromSeconds(13)); // 10 s + at most 25 % jitter
        Assert.Equal((0, 1, 0), await outbox.DeliverDueAsync(Send, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(19)); // second back-off is at least 20 s
        Assert.Equal((0, 0, 0), await outbox.DeliverDueAsync(Send, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(6));
        online = true;
        Assert.Equal((1, 0, 0), await outbox.DeliverDueAsync(Send, CancellationToken.None));
        Assert.Equal(0, outbox.Count);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void Back_off_doubles_and_is_capped()
    {
        var outbox = new Outbox(new OutboxOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(100) });
        for (var attempt = 1; attempt < 40; attempt++)
        {
            var expected = Math.Min(100, Math.Pow(2, attempt - 1));
            var actual = outbox.Backoff(attempt).TotalSeconds;
            Assert.InRange(actual, expected, expected * 1.25 + 0.001);
        }
    }

    [Fact]
    public async Task Envelopes_past_their_lifetime_are_dropped_and_the_queue_is_bounded()
    {
        var time = new ManualTime();
        var outbox = new Outbox(new OutboxOptions { Lifetime = TimeSpan.FromHours(1), MaxQueued = 2 }, time);
        outbox.Enqueue("bob", new byte[512]);
        outbox.Enqueue("bob", new byte[512]);
        Assert.Throws<InvalidOperationException>(() => outbox.Enqueue("bob", new byte[512]));
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal((0, 0, 2), await outbox.DeliverDueAsync((_, _) => Task.FromResult(true), CancellationToken.None));
    }

    [Fact]
    public async Task A_throwing_send_counts_as_a_failure()
    {
        var outbox = new Outbox();
        outbox.Enqueue("bob", new byte[512]);
        Assert.Equal((0, 1, 0), await outbox.DeliverDueAsync((_, _) => throw new IOException("offline"), CancellationToken.None));
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public void The_mailbox_enforces_quotas_and_retention()
    {
        var time = new ManualTime();
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        var mailbox = new Mailbox([9, 9], new MailboxOptions { MaxEnvelopesPerRecipient = 2, MaxBytesPerRecipient = 1 << 20, Retention = TimeSpan.FromHours(1) }, time);
        var envelope = SealedSender.SealCover(alice, cert, bob.PublicKey, 512);
        Assert.False(mailbox.TryDeposit(envelope)); // not served
        mailbox.Serve(bob.PublicKey);
        Assert.True(mailbox.TryDeposit(envelope));
        Assert.True(mailbox.TryDeposit(envelope));
        Assert.False(mailbox.TryDeposit(envelope)); // quota
        time.Advance(TimeSpan.FromHours(2));
        Assert.True(mailbox.TryDeposit(envelope)); // the old ones expired
        Assert.Equal(1, mailbox.CountFor(bob.PublicKey));
        Assert.Throws<MalformedInputException>(() => mailbox.TryDeposit(new byte[100]));
    }

    [Fact]
    public void Registrations_cannot_exhaust_memory_past_the_total_cap_and_collection_frees_it()
    {
        var time = new ManualTime();
        using var alice = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        var mailbox = new Mailbox([9, 9], new MailboxOptions { MaxBytesPerRecipient = 1 << 20, MaxTotalBytes = 3 * 512 }, time);
        var recipients = Enumerable.Range(0, 4).Select(_ => IdentityKeyPair.Generate()).ToList();
        try
        {
            recipients.ForEach(r => mailbox.Serve(r.PublicKey));
            Assert.True(mailbox.TryDeposit(SealedSender.SealCover(alice, cert, recipients[0].PublicKey, 512)));
            Assert.True(mailbox.TryDeposit(SealedSender.SealCover(alice, cert, recipients[1].PublicKey, 512)));
            Assert.True(mailbox.TryDeposit(SealedSender.SealCover(alice, cert, recipients[2].PublicKey, 512)));
            Assert.False(mailbox.TryDeposit(SealedSender.SealCover(alice, cert, recipients[3].PublicKey, 512))); // total cap

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var signature = recipients[0].Sign(Mailbox.CollectStatement([9, 9], recipients[0].PublicKey, now));
            Assert.Single(mailbox.Collect(recipients[0].PublicKey, now, signature));
            Assert.True(mailbox.TryDeposit(SealedSender.SealCover(alice, cert, recipients[3].PublicKey, 512))); // room again
        }
        finally
        {
            recipients.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public void Only_the_recipient_with_a_fresh_signature_for_this_mailbox_can_collect()
    {
        var time = new ManualTime();
        using var bob = IdentityKeyPair.Generate();
        using var eve = IdentityKeyPair.Generate();
        var mailbox = new Mailbox([1, 2, 3], time: time);
        mailbox.Serve(bob.PublicKey);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var forOtherMailbox = bob.Sign(Mailbox.CollectStatement([7], bob.PublicKey, now));
        Assert.Throws<UnauthorizedAccessException>(() => mailbox.Collect(bob.PublicKey, now, forOtherMailbox));
        var byEve = eve.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, now));
        Assert.Throws<UnauthorizedAccessException>(() => mailbox.Collect(bob.PublicKey, now, byEve));
        var stale = now - (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
        Assert.Throws<UnauthorizedAccessException>(() => mailbox.Collect(bob.PublicKey, stale, bob.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, stale))));
        Assert.Empty(mailbox.Collect(bob.PublicKey, now, bob.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, now))));
    }
}
