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
    public async Task The_mailbox_enforces_quotas_and_retention()
    {
        var time = new ManualTime();
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        using var mailbox = new Mailbox([9, 9], new MailboxOptions { MaxEnvelopesPerRecipient = 2, MaxBytesPerRecipient = 1 << 20, Retention = TimeSpan.FromHours(1) }, time);
        var envelope = SealedSender.SealCover(alice, cert, bob.PublicKey, 512);
        Assert.False(await mailbox.TryDepositAsync(envelope, CancellationToken.None)); // not served
        await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
        Assert.True(await mailbox.TryDepositAsync(envelope, CancellationToken.None));
        Assert.True(await mailbox.TryDepositAsync(envelope, CancellationToken.None));
        Assert.False(await mailbox.TryDepositAsync(envelope, CancellationToken.None)); // quota
        time.Advance(TimeSpan.FromHours(2));
        Assert.True(await mailbox.TryDepositAsync(envelope, CancellationToken.None)); // the old ones expired
        Assert.Equal(1, mailbox.CountFor(bob.PublicKey));
        await Assert.ThrowsAsync<MalformedInputException>(() => mailbox.TryDepositAsync(new byte[100], CancellationToken.None));
    }

    [Fact]
    public async Task Registrations_cannot_exhaust_memory_past_the_total_cap_and_an_acknowledged_collection_frees_it()
    {
        var time = new ManualTime();
        using var alice = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", time.GetUtcNow().ToUnixTimeSeconds() + 86400);
        using var mailbox = new Mailbox([9, 9], new MailboxOptions { MaxBytesPerRecipient = 1 << 20, MaxTotalBytes = 3 * 512 }, time);
        var recipients = Enumerable.Range(0, 4).Select(_ => IdentityKeyPair.Generate()).ToList();
        try
        {
            foreach (var r in recipients)
            {
                await mailbox.ServeAsync(r.PublicKey.ToArray(), CancellationToken.None);
            }

            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[0].PublicKey, 512), CancellationToken.None));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[1].PublicKey, 512), CancellationToken.None));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[2].PublicKey, 512), CancellationToken.None));
            Assert.False(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[3].PublicKey, 512), CancellationToken.None)); // total cap

            // Handing over frees nothing: the envelope stays until the collector acknowledges it.
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var held = Assert.Single(await Collect(mailbox, recipients[0], now, 0));
            Assert.False(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[3].PublicKey, 512), CancellationToken.None));
            Assert.Empty(await Collect(mailbox, recipients[0], now + 1, held.Sequence));
            Assert.True(await mailbox.TryDepositAsync(SealedSender.SealCover(alice, cert, recipients[3].PublicKey, 512), CancellationToken.None)); // room again
        }
        finally
        {
            recipients.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Only_the_recipient_with_a_fresh_signature_for_this_mailbox_can_collect()
    {
        var time = new ManualTime();
        using var bob = IdentityKeyPair.Generate();
        using var eve = IdentityKeyPair.Generate();
        using var mailbox = new Mailbox([1, 2, 3], time: time);
        await mailbox.ServeAsync(bob.PublicKey.ToArray(), CancellationToken.None);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var forOtherMailbox = bob.Sign(Mailbox.CollectStatement([7], bob.PublicKey, now, 0));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => mailbox.CollectAsync(bob.PublicKey.ToArray(), now, 0, forOtherMailbox, CancellationToken.None));
        var byEve = eve.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, now, 0));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => mailbox.CollectAsync(bob.PublicKey.ToArray(), now, 0, byEve, CancellationToken.None));
        var stale = now - (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => mailbox.CollectAsync(bob.PublicKey.ToArray(), stale, 0, bob.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, stale, 0)), CancellationToken.None));

        // The acknowledgement is signed too: a request cannot be altered to acknowledge (delete) more.
        var signed = bob.Sign(Mailbox.CollectStatement([1, 2, 3], bob.PublicKey, now, 0));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => mailbox.CollectAsync(bob.PublicKey.ToArray(), now, 5, signed, CancellationToken.None));
        Assert.Empty(await mailbox.CollectAsync(bob.PublicKey.ToArray(), now, 0, signed, CancellationToken.None));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => mailbox.CollectAsync(bob.PublicKey.ToArray(), now, 0, signed, CancellationToken.None)); // replay
    }

    internal static Task<IReadOnlyList<HeldEnvelope>> Collect(Mailbox mailbox, IdentityKeyPair recipient, long unixMs, long acknowledged, byte[]? mailboxId = null)
    {
        var signature = recipient.Sign(Mailbox.CollectStatement(mailboxId ?? [9, 9], recipient.PublicKey, unixMs, acknowledged));
        return mailbox.CollectAsync(recipient.PublicKey.ToArray(), unixMs, acknowledged, signature, CancellationToken.None);
    }
}
