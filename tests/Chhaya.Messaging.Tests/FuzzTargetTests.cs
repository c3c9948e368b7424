// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using Chhaya.Fuzz.Messaging;
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;
using Chhaya.Testing;

namespace Chhaya.Messaging.Tests;

/// <summary>The messaging decoders' fuzz targets over their seeds, mutations and random bytes.</summary>
public sealed class FuzzTargetTests
{
    private static readonly IFuzzer[] Fuzzers = [new SealedEnvelopeFuzzer(), new RatchetHeaderFuzzer(), new PrekeyBundleFuzzer(), new PrekeyMessageFuzzer(), new PrekeyRecordFuzzer()];

    private static readonly string[] Names = ["messaging-envelope", "messaging-ratchet-header", "messaging-prekey-bundle", "messaging-prekey-message", "messaging-prekey-record"];

    public static TheoryData<string> Targets => [.. Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_mutations_and_random_bytes_never_escape_the_documented_exceptions(string name)
    {
        var fuzzer = Fuzzers.Single(f => f.Name == name);
        FuzzCorpus.Replay(name, input => fuzzer.FuzzTarget(input));
    }

    [Fact]
    public void The_seeds_exercise_the_accepting_paths()
    {
        foreach (var file in Seeds("messaging-prekey-record"))
        {
            Assert.True(PrekeyRecord.Decode(file).Bundle.Verify());
        }

        // A corpus the decoders all refuse would test nothing but the refusal.
        foreach (var file in Seeds("messaging-envelope"))
        {
            var opened = SealedSender.Open(MessagingFuzzKeys.Recipient, file, 1_800_000_000);
            Assert.True(opened.Sender.Verify(1_800_000_000));
        }

        foreach (var file in Seeds("messaging-prekey-bundle"))
        {
            Assert.True(PrekeyBundle.Decode(file).Verify());
        }

        foreach (var file in Seeds("messaging-ratchet-header"))
        {
            RatchetMessageCodec.Decode(file, out _);
        }

        var accepted = 0;
        foreach (var file in Seeds("messaging-prekey-message"))
        {
            accepted += TryDecode(() => PrekeyMessage.Decode(file)) + TryDecode(() => SenderCertificate.Decode(file)) + TryDecode(() => ConversationContent.Decode(file));
        }

        Assert.True(accepted >= 4);
    }

    /// <summary>
    /// Writes the seed corpora (run with CHHAYA_WRITE_MESSAGING_SEEDS=1 to regenerate them); otherwise checks that
    /// every corpus has seeds.
    /// </summary>
    [Fact]
    public void Seed_corpora_exist()
    {
        if (Environment.GetEnvironmentVariable("CHHAYA_WRITE_MESSAGING_SEEDS") == "1")
        {
            WriteSeeds();
        }

        foreach (var name in Names)
        {
            Assert.NotEmpty(Seeds(name));
        }
    }

    private static int TryDecode(Func<object> decode)
    {
        try
        {
            decode();
            return 1;
        }
        catch (Chhaya.Safety.MalformedInputException)
        {
            return 0;
        }
    }

    private static IEnumerable<byte[]> Seeds(string name) =>
        System.IO.Directory.GetFiles(FuzzCorpus.DirectoryOf(name)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);

    private static void WriteSeeds()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore(oneTime: 2);
        var recipient = MessagingFuzzKeys.Recipient.PublicKey;
        var cert = SenderCertificate.Create(alice, [0x00, 0x24, 0x08, 0x01, 0x12, 0x20], "alice", 1_900_000_000);
        Write("messaging-envelope", "message-512", SealedSender.Seal(alice, cert, recipient, SealedContentType.Message, new byte[100]));
        Write("messaging-envelope", "message-4k", SealedSender.Seal(alice, cert, recipient, SealedContentType.Message, new byte[2000]));
        Write("messaging-envelope", "cover-1k", SealedSender.SealCover(alice, cert, recipient, 1024));

        Write("messaging-prekey-bundle", "two-one-time", bob.PublishBundle(2).Encode());
        Write("messaging-prekey-bundle", "no-one-time", bob.PublishBundle(0).Encode());

        var (keys, template, remote) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(1));
        using (keys)
        using (var session = RatchetSession.InitializeInitiator(keys, template, remote))
        {
            var first = session.Encrypt(ConversationContent.Text(new byte[16], 1, 1_800_000_000_000, "hello"u8.ToArray()).Encode());
            Write("messaging-ratchet-header", "first", first);
            Write("messaging-ratchet-header", "empty-plaintext", session.Encrypt([]));
            Write("messaging-prekey-message", "initial", (template with { RatchetMessage = first }).Encode());
            var (_, noOpk, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(0));
            Write("messaging-prekey-message", "initial-last-resort", (noOpk with { RatchetMessage = first }).Encode());
        }

        Write("messaging-prekey-message", "certificate", cert.Encode());
        Write("messaging-prekey-message", "text", ConversationContent.Text(new byte[16], 7, 1_800_000_000_000, "hi"u8.ToArray()).Encode());
        Write("messaging-prekey-message", "receipt", ConversationContent.Receipt(ContentKind.Read, [new byte[16], new byte[16]]).Encode());
    }

    private static void Write(string corpus, string name, byte[] bytes)
    {
        var dir = FuzzCorpus.DirectoryOf(corpus);
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name), bytes);
    }
}
