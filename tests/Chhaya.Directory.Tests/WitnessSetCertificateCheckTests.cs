// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Directory.Tests;

/// <summary>Quorum certificates from real BLS witnesses, checked the way a client checks them.</summary>
public sealed class WitnessSetCertificateCheckTests : IDisposable
{
    private readonly BlsSecretKey[] _keys = Enumerable.Range(0, 4).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(0x60 + i), 32).ToArray())).ToArray();
    private readonly SignedEpochHead _head;
    private readonly WitnessSet _witnesses;

    public WitnessSetCertificateCheckTests()
    {
        _witnesses = WitnessSet.Create(_keys.Select(k => new WitnessMember(k.PublicKey, k.ProvePossession())), threshold: 3);
        using var seed = SecretBytes.CopyFrom(Enumerable.Repeat((byte)9, 32).ToArray());
        _head = SignedEpochHead.Sign(new EpochHead(new Digest(new byte[32]), 4, new Digest(Enumerable.Repeat((byte)1, 32).ToArray()), default, 1_700_000_000_000), seed);
    }

    private byte[] Certify(SignedEpochHead head, int signers)
    {
        var statement = head.Head.Encode();
        var builder = new QuorumCertificateBuilder(_witnesses, statement);
        foreach (var key in _keys.Take(signers))
        {
            Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(key, statement)));
        }

        return builder.Build().Encode();
    }

    [Fact]
    public void A_certificate_with_a_quorum_over_the_head_certifies_it()
    {
        var check = new WitnessSetCertificateCheck(_witnesses);
        Assert.True(check.IsCertified(_head, Certify(_head, 3)));
        Assert.True(check.IsCertified(_head, Certify(_head, 4)));
    }

    [Fact]
    public void A_certificate_for_another_head_garbage_or_a_tampered_one_does_not()
    {
        var check = new WitnessSetCertificateCheck(_witnesses);
        var other = _head with { Head = _head.Head with { Epoch = 5 } };
        var certificate = Certify(_head, 3);
        Assert.False(check.IsCertified(other, certificate));
        Assert.False(check.IsCertified(_head, [1, 2, 3]));
        Assert.False(check.IsCertified(_head, []));
        for (var i = 0; i < certificate.Length; i += 5)
        {
            var tampered = (byte[])certificate.Clone();
            tampered[i] ^= 0x40;
            Assert.False(check.IsCertified(_head, tampered), $"byte {i} changed and still certified");
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
