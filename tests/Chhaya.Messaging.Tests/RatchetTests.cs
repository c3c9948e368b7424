// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Ratchet;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Messaging.Tests;

public sealed class RatchetTests
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static (RatchetSession Alice, RatchetSession Bob, IDisposable Keys) NewPair(RatchetOptions? options = null, TimeProvider? time = null)
    {
        var alice = IdentityKeyPair.Generate();
        var bob = TestUsers.NewStore(oneTime: 1);
        var (a, b) = TestUsers.Pair(alice, bob, options: options, time: time);
        return (a, b, new Disposables(alice, bob));
    }

    [Fact]
    public void Messages_flow_both_ways_across_many_ratchet_steps()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            for (var round = 0; round < 20; round++)
            {
                for (var i = 0; i <= round % 3; i++)
                {
                    Assert.Equal(Text($"a{round}.{i}"), bob.Decrypt(alice.Encrypt(Text($"a{round}.{i}"))));
                }

                for (var i = 0; i <= round % 2; i++)
                {
                    Assert.Equal(Text($"b{round}.{i}"), alice.Decrypt(bob.Encrypt(Text($"b{round}.{i}"))));
                }
            }
        }
    }

    [Fact]
    public void Any_interleaving_and_delivery_order_decrypts_every_message_once() =>
        Gen.Select(Gen.Bool.Array[1, 30], Gen.Int[0, int.MaxValue]).Sample((senders, seed) =>
        {
            var (alice, bob, keys) = NewPair();
            using (keys)
            using (alice)
            using (bob)
            {
                var random = new Random(seed);
                var toBob = new List<(byte[] Message, byte[] Plain)>();
                var toAlice = new List<(byte[] Message, byte[] Plain)>();

                // Alice must speak first (Bob has no sending chain until she does, and Pair already delivered "hello").
                foreach (var fromAlice in senders)
                {
                    var plain = new byte[random.Next(0, 200)];
                    random.NextBytes(plain);
                    if (fromAlice)
                    {
                        toBob.Add((alice.Encrypt(plain), plain));
                    }
                    else
                    {
                        toAlice.Add((bob.Encrypt(plain), plain));
                    }

                    // Deliver a random subset now, in random order; the rest later.
                    DeliverSome(random, toBob, bob);
                    DeliverSome(random, toAlice, alice);
                }

                Deliver(random, toBob, bob);
                Deliver(random, toAlice, alice);
            }
        }, iter: 40);

    [Fact]
    public void Out_of_order_and_gaps_decrypt_and_the_skipped_keys_are_used_once()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var m = Enumerable.Range(0, 6).Select(i => alice.Encrypt(Text($"m{i}"))).ToArray();
            Assert.Equal(Text("m5"), bob.Decrypt(m[5]));
            Assert.Equal(5, bob.SkippedKeyCount);
            Assert.Equal(Text("m2"), bob.Decrypt(m[2]));
            Assert.Equal(Text("m0"), bob.Decrypt(m[0]));
            Assert.Throws<RatchetException>(() => bob.Decrypt(m[2]));
            Assert.Equal(3, bob.SkippedKeyCount);

            // Bob answers (a DH step for Alice); Alice sends in a new chain; the old chain's late messages still open.
            Assert.Equal(Text("r"), alice.Decrypt(bob.Encrypt(Text("r"))));
            var n0 = alice.Encrypt(Text("n0"));
            Assert.Equal(Text("n0"), bob.Decrypt(n0));
            Assert.Equal(Text("m4"), bob.Decrypt(m[4]));
            Assert.Equal(Text("m1"), bob.Decrypt(m[1]));
            Assert.Equal(Text("m3"), bob.Decrypt(m[3]));
            Assert.Equal(0, bob.SkippedKeyCount);
        }
    }

    [Fact]
    public void A_message_from_a_new_chain_also_skips_the_rest_of_the_previous_chain()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var lost = alice.Encrypt(Text("lost in the old chain"));
            Assert.Equal(Text("r"), alice.Decrypt(bob.Encrypt(Text("r"))));
            Assert.Equal(Text("new"), bob.Decrypt(alice.Encrypt(Text("new"))));
            Assert.Equal(1, bob.SkippedKeyCount); // PN told Bob the old chain had one more message
            Assert.Equal(Text("lost in the old chain"), bob.Decrypt(lost));
        }
    }

    [Fact]
    public void Skipping_more_than_max_skip_is_refused_and_leaves_the_session_usable()
    {
        var (alice, bob, keys) = NewPair(new RatchetOptions { MaxSkip = 5 });
        using (keys)
        using (alice)
        using (bob)
        {
            var m = Enumerable.Range(0, 8).Select(i => alice.Encrypt(Text($"m{i}"))).ToArray();
            var e = Assert.Throws<RatchetException>(() => bob.Decrypt(m[7]));
            Assert.Contains("MAX_SKIP", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, bob.SkippedKeyCount);
            Assert.Equal(Text("m5"), bob.Decrypt(m[5])); // exactly 5 skipped: allowed
            Assert.Equal(Text("m7"), bob.Decrypt(m[7]));
        }
    }

    [Fact]
    public void Replays_are_refused_in_the_current_chain_and_after_a_ratchet_step()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var m0 = alice.Encrypt(Text("once"));
            Assert.Equal(Text("once"), bob.Decrypt(m0));
            Assert.Throws<RatchetException>(() => bob.Decrypt(m0));
            alice.Decrypt(bob.Encrypt(Text("step")));
            bob.Decrypt(alice.Encrypt(Text("next chain")));
            Assert.Throws<RatchetException>(() => bob.Decrypt(m0));
        }
    }

    [Fact]
    public void Every_tampered_byte_of_header_or_ciphertext_is_refused_without_changing_state()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var message = alice.Encrypt(Text("integrity"));
            for (var i = 0; i < message.Length; i++)
            {
                var tampered = (byte[])message.Clone();
                tampered[i] ^= 0x20;
                var e = Record.Exception(() => bob.Decrypt(tampered));
                Assert.True(e is RatchetException or MalformedInputException, $"byte {i}: {e?.GetType().Name ?? "accepted"}");
            }

            Assert.Equal(0, bob.SkippedKeyCount);
            Assert.Equal(Text("integrity"), bob.Decrypt(message));
        }
    }

    [Fact]
    public void A_message_from_another_session_does_not_open()
    {
        var (alice, bob, keys) = NewPair();
        var (alice2, bob2, keys2) = NewPair();
        using (keys)
        using (keys2)
        using (alice)
        using (bob)
        using (alice2)
        using (bob2)
        {
            Assert.Throws<RatchetException>(() => bob.Decrypt(alice2.Encrypt(Text("wrong session"))));
        }
    }

    [Fact]
    public void Skipped_keys_expire_by_age()
    {
        var time = new ManualTime();
        var (alice, bob, keys) = NewPair(new RatchetOptions { SkippedKeyLifetime = TimeSpan.FromHours(1) }, time);
        using (keys)
        using (alice)
        using (bob)
        {
            var late = alice.Encrypt(Text("late"));
            bob.Decrypt(alice.Encrypt(Text("early")));
            Assert.Equal(1, bob.SkippedKeyCount);
            time.Advance(TimeSpan.FromHours(2));
            Assert.Throws<RatchetException>(() => bob.Decrypt(late));
            Assert.Equal(0, bob.SkippedKeyCount);
        }
    }

    [Fact]
    public void Skipped_keys_are_capped_by_count_oldest_first()
    {
        var time = new ManualTime();
        var (alice, bob, keys) = NewPair(new RatchetOptions { MaxSkip = 10, MaxSkippedKeys = 4 }, time);
        using (keys)
        using (alice)
        using (bob)
        {
            var m = Enumerable.Range(0, 7).Select(i => alice.Encrypt(Text($"m{i}"))).ToArray();
            bob.Decrypt(m[2]); // skips 0, 1
            time.Advance(TimeSpan.FromSeconds(1));
            bob.Decrypt(m[6]); // skips 3, 4, 5: 5 keys, over the cap of 4: the oldest (0) goes
            Assert.Equal(4, bob.SkippedKeyCount);
            Assert.Throws<RatchetException>(() => bob.Decrypt(m[0]));
            Assert.Equal(Text("m1"), bob.Decrypt(m[1]));
            Assert.Equal(Text("m5"), bob.Decrypt(m[5]));
        }
    }

    [Fact]
    public void Forward_secrecy_the_current_state_cannot_decrypt_earlier_messages()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var earlier = Enumerable.Range(0, 3).Select(i => alice.Encrypt(Text($"secret {i}"))).ToArray();
            foreach (var message in earlier)
            {
                bob.Decrypt(message);
            }

            alice.Decrypt(bob.Encrypt(Text("ack")));
            bob.Decrypt(alice.Encrypt(Text("later")));

            // An attacker who copies Bob's whole state now (keys included) gets nothing for the earlier messages.
            using var state = bob.ExportState();
            using var stolen = RatchetSession.ImportState(state.ReadOnlySpan);
            foreach (var message in earlier)
            {
                Assert.Throws<RatchetException>(() => stolen.Decrypt(message));
            }
        }
    }

    [Fact]
    public void Post_compromise_recovery_a_stolen_state_cannot_decrypt_after_a_dh_ratchet_step()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            // The attacker copies Bob's whole state, including his current ratchet private key B1.
            using var state = bob.ExportState();
            using var stolen = RatchetSession.ImportState(state.ReadOnlySpan);
            using var stolenLater = RatchetSession.ImportState(state.ReadOnlySpan);

            // Not healed yet: Alice's messages in the current chain, and in her next chain (which still uses B1), open.
            var sameChain = alice.Encrypt(Text("same chain"));
            Assert.Equal(Text("same chain"), bob.Decrypt(sameChain));
            Assert.Equal(Text("same chain"), stolen.Decrypt(sameChain));
            Assert.Equal(Text("b"), alice.Decrypt(bob.Encrypt(Text("b"))));
            var nextChain = alice.Encrypt(Text("next chain, peer key still B1"));
            Assert.Equal(Text("next chain, peer key still B1"), stolen.Decrypt(nextChain));

            // Bob receives it: his DH ratchet step makes a fresh key pair B2 the attacker never saw.
            Assert.Equal(Text("next chain, peer key still B1"), bob.Decrypt(nextChain));
            var healed = bob.Encrypt(Text("sent under B2"));
            Assert.Equal(Text("sent under B2"), alice.Decrypt(healed));
            var afterHealing = alice.Encrypt(Text("private again"));
            Assert.Equal(Text("private again"), bob.Decrypt(afterHealing));

            // Both stolen copies (one that followed along, one frozen at the theft) are locked out.
            Assert.Throws<RatchetException>(() => stolen.Decrypt(afterHealing));
            Assert.Throws<RatchetException>(() => stolenLater.Decrypt(afterHealing));
        }
    }

    [Fact]
    public void A_responder_cannot_send_before_it_has_received()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var (keys, _, _) = Handshake.Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle());
        using (keys)
        {
            using var session = RatchetSession.InitializeResponder(keys, Chhaya.Crypto.X25519.GeneratePrivateKey(), new byte[32]);
            Assert.Throws<InvalidOperationException>(() => session.Encrypt(Text("x")));
        }
    }

    [Fact]
    public void State_export_round_trips_and_the_copy_continues_the_conversation()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            var skipped = alice.Encrypt(Text("skipped"));
            bob.Decrypt(alice.Encrypt(Text("seen")));
            using var state = bob.ExportState();
            using var copy = RatchetSession.ImportState(state.ReadOnlySpan);
            using var again = copy.ExportState();
            Assert.True(state.FixedTimeEquals(again.ReadOnlySpan));
            Assert.Equal(Text("skipped"), copy.Decrypt(skipped));
            Assert.Equal(Text("x"), alice.Decrypt(copy.Encrypt(Text("x"))));
        }
    }

    [Fact]
    public void State_import_refuses_malformed_input()
    {
        var (alice, bob, keys) = NewPair();
        using (keys)
        using (alice)
        using (bob)
        {
            using var state = bob.ExportState();
            var bytes = state.ReadOnlySpan.ToArray();
            Assert.Throws<MalformedInputException>(() => RatchetSession.ImportState(bytes.AsSpan(0, bytes.Length - 1)));
            Assert.Throws<MalformedInputException>(() => RatchetSession.ImportState([.. bytes, 0]));
            bytes[0] = 9;
            Assert.Throws<MalformedInputException>(() => RatchetSession.ImportState(bytes));
        }
    }

    private static void DeliverSome(Random random, List<(byte[] Message, byte[] Plain)> queue, RatchetSession to)
    {
        var count = random.Next(queue.Count + 1);
        for (var i = 0; i < count; i++)
        {
            var index = random.Next(queue.Count);
            var (message, plain) = queue[index];
            queue.RemoveAt(index);
            Assert.Equal(plain, to.Decrypt(message));
        }
    }

    private static void Deliver(Random random, List<(byte[] Message, byte[] Plain)> queue, RatchetSession to)
    {
        while (queue.Count > 0)
        {
            var index = random.Next(queue.Count);
            var (message, plain) = queue[index];
            queue.RemoveAt(index);
            Assert.Equal(plain, to.Decrypt(message));
            Assert.Throws<RatchetException>(() => to.Decrypt(message));
        }
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
