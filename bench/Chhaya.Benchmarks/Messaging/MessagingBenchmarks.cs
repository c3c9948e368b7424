// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;

namespace Chhaya.Benchmarks.Messaging;

/// <summary>
/// Session setup (PQXDH both sides plus the first message) and Double Ratchet encrypt+decrypt, the operations the
/// libsignal comparison script times too (tests/Chhaya.Interop.Tests/js/messaging/bench.mjs).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet releases the fields in [GlobalCleanup].")]
public class MessagingBenchmarks
{
    private readonly byte[] _small = new byte[100];
    private readonly byte[] _large = new byte[4096];
    private IdentityKeyPair _alice = null!;
    private PrekeyStore _bob = null!;
    private PrekeyBundle _bundle = null!;
    private RatchetSession _sender = null!;
    private RatchetSession _receiver = null!;
    private RatchetSession _pingA = null!;
    private RatchetSession _pingB = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_small);
        Random.Shared.NextBytes(_large);
        _alice = IdentityKeyPair.Generate();
        _bob = new PrekeyStore(IdentityKeyPair.Generate());
        _bundle = _bob.PublishBundle(1); // one-time prekeys named but never consumed, so every iteration does DH4 too
        (_sender, _receiver) = NewSession();
        (_pingA, _pingB) = NewSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _pingA.Dispose();
        _pingB.Dispose();
        _bob.Dispose();
        _alice.Dispose();
    }

    /// <summary>Alice: verify bundle, PQXDH, first ratchet message; Bob: PQXDH, decrypt it.</summary>
    [Benchmark]
    public void SessionSetup()
    {
        var (a, b) = NewSession();
        a.Dispose();
        b.Dispose();
    }

    /// <summary>One 100-byte message, encrypted and decrypted in the same chain (symmetric-key ratchet only).</summary>
    [Benchmark]
    public byte[] EncryptDecrypt100() => _receiver.Decrypt(_sender.Encrypt(_small));

    /// <summary>One 4 KiB message, encrypted and decrypted in the same chain.</summary>
    [Benchmark]
    public byte[] EncryptDecrypt4K() => _receiver.Decrypt(_sender.Encrypt(_large));

    /// <summary>A 100-byte message each way: every message carries a DH ratchet step.</summary>
    [Benchmark]
    public byte[] PingPong100()
    {
        _pingB.Decrypt(_pingA.Encrypt(_small));
        return _pingA.Decrypt(_pingB.Encrypt(_small));
    }

    private (RatchetSession, RatchetSession) NewSession()
    {
        var (keys, template, remote) = Pqxdh.Initiate(_alice, _bob.Identity.PublicKey, _bundle);
        using (keys)
        {
            var a = RatchetSession.InitializeInitiator(keys, template, remote);
            var first = template with { RatchetMessage = a.Encrypt(_small) };
            var (bobKeys, spk, spkPublic) = Pqxdh.Respond(_bob, PrekeyMessage.Decode(first.Encode()));
            using (bobKeys)
            {
                var b = RatchetSession.InitializeResponder(bobKeys, spk, spkPublic);
                b.Decrypt(first.RatchetMessage);
                return (a, b);
            }
        }
    }
}
