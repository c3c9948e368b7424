// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;
using Org.BouncyCastle.Crypto.Digests;

namespace Chhaya.Crypto.Tests;

public sealed class HybridKemTests
{
    [Fact]
    public void Encapsulate_and_decapsulate_agree_and_sizes_are_fixed()
    {
        using var sk = HybridKem.GenerateSecretKey();
        var pk = HybridKem.PublicKey(sk);
        Assert.Equal(1600, pk.Length);
        var ct = new byte[HybridKem.CiphertextLength];
        using var sent = HybridKem.Encapsulate(pk, ct);
        using var received = HybridKem.Decapsulate(sk, ct);
        Assert.True(sent.FixedTimeEquals(received.ReadOnlySpan));
        Assert.Equal(32, sent.Length);
    }

    [Fact]
    public void Tampering_with_either_half_changes_the_secret()
    {
        using var sk = HybridKem.GenerateSecretKey();
        var pk = HybridKem.PublicKey(sk);
        var ct = new byte[HybridKem.CiphertextLength];
        using var sent = HybridKem.Encapsulate(pk, ct);
        foreach (var index in new[] { 0, 800, MlKem1024.CiphertextLength - 1, MlKem1024.CiphertextLength + 5 })
        {
            var bad = (byte[])ct.Clone();
            bad[index] ^= 0x01;
            using var received = HybridKem.Decapsulate(sk, bad);
            Assert.False(sent.FixedTimeEquals(received.ReadOnlySpan), $"byte {index}");
        }
    }

    [Fact]
    public void Low_order_X25519_parts_and_wrong_lengths_are_refused()
    {
        using var sk = HybridKem.GenerateSecretKey();
        var pk = HybridKem.PublicKey(sk);
        var badPk = (byte[])pk.Clone();
        badPk.AsSpan(MlKem1024.EncapsulationKeyLength).Clear();
        Assert.Throws<MalformedInputException>(() => HybridKem.Encapsulate(badPk, new byte[HybridKem.CiphertextLength]));
        Assert.Throws<MalformedInputException>(() => HybridKem.Encapsulate(pk.AsSpan(1), new byte[HybridKem.CiphertextLength]));

        var ct = new byte[HybridKem.CiphertextLength];
        using (HybridKem.Encapsulate(pk, ct))
        {
        }

        ct.AsSpan(MlKem1024.CiphertextLength).Clear();
        Assert.Throws<MalformedInputException>(() => HybridKem.Decapsulate(sk, ct));
        Assert.Throws<MalformedInputException>(() => HybridKem.Decapsulate(sk, ct.AsSpan(1)));
    }

    [Fact]
    public void The_combiner_is_exactly_the_documented_layout()
    {
        using var sk = SecretBytes.CopyFrom(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        using var ephemeral = SecretBytes.CopyFrom(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var m = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();
        var pk = HybridKem.PublicKey(sk);
        var ct = new byte[HybridKem.CiphertextLength];
        using var shared = HybridKem.Encapsulate(pk, ct, ephemeral, m);

        // Recompute from the components by hand.
        var expanded = new byte[96];
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(sk.ReadOnlySpan);
        shake.OutputFinal(expanded);
        using var mlSeed = SecretBytes.CopyFrom(expanded.AsSpan(0, 64));
        using var pair = MlKem1024.FromSeed(mlSeed);
        using var xSk = SecretBytes.CopyFrom(expanded.AsSpan(64));
        Assert.Equal(pair.EncapsulationKey.ToArray(), pk.AsSpan(0, 1568).ToArray());
        Assert.Equal(X25519.PublicKey(xSk), pk.AsSpan(1568).ToArray());
        var ctM = new byte[1568];
        using var ssM = MlKem1024.EncapsulateDeterministic(pair.EncapsulationKey, m, ctM);
        Assert.Equal(ctM, ct.AsSpan(0, 1568).ToArray());
        Assert.Equal(X25519.PublicKey(ephemeral), ct.AsSpan(1568).ToArray());
        using var ssX = X25519.Agree(ephemeral, pk.AsSpan(1568));

        var inner = new Sha3Digest(256);
        inner.BlockUpdate(ctM);
        inner.BlockUpdate(pk.AsSpan(0, 1568));
        var binding = new byte[32];
        inner.DoFinal(binding);
        var outer = new Sha3Digest(256);
        outer.BlockUpdate(ssM.ReadOnlySpan);
        outer.BlockUpdate(ssX.ReadOnlySpan);
        outer.BlockUpdate(ct.AsSpan(1568));
        outer.BlockUpdate(pk.AsSpan(1568));
        outer.BlockUpdate(binding);
        outer.BlockUpdate(Encoding.ASCII.GetBytes("chhaya/v1/hybrid-kem/x25519-mlkem1024"));
        var expected = new byte[32];
        outer.DoFinal(expected);
        Assert.Equal(expected, shared.ReadOnlySpan.ToArray());

        using var received = HybridKem.Decapsulate(sk, ct);
        Assert.Equal(expected, received.ReadOnlySpan.ToArray());
    }
}
