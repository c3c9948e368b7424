// SPDX-License-Identifier: AGPL-3.0-or-later
using CsCheck;

namespace Chhaya.Quorum.Tests;

public class QuorumCertificateTests
{
    [Fact]
    public void Threshold_co_signatures_make_a_certificate_that_validates_and_round_trips()
    {
        var builder = new QuorumCertificateBuilder(Witnesses.FiveOfThree, Witnesses.Head);
        foreach (var i in new[] { 4, 0, 2 })
        {
            Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(Witnesses.Keys[i], Witnesses.Head)));
        }

        Assert.True(builder.HasQuorum);
        var qc = builder.Build();
        Assert.Equal([0, 2, 4], qc.SignerIndices);
        Assert.Equal(QuorumValidationError.None, qc.Validate(Witnesses.FiveOfThree, Witnesses.Head));

        var encoded = qc.Encode();
        Assert.Equal(1 + 2 + Witnesses.Head.Length + 2 + 1 + 96, encoded.Length);
        var decoded = QuorumCertificate.Decode(encoded);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(QuorumValidationError.None, decoded.Validate(Witnesses.FiveOfThree, Witnesses.Head));
    }

    [Fact]
    public void Builder_names_unknown_duplicate_and_bad_co_signatures()
    {
        var builder = new QuorumCertificateBuilder(Witnesses.FiveOfThree, Witnesses.Head);
        Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(Witnesses.Keys[1], Witnesses.Head)));
        Assert.Equal(QuorumValidationError.DuplicateSigner, builder.TryAdd(CoSignature.Create(Witnesses.Keys[1], Witnesses.Head)));
        Assert.Equal(QuorumValidationError.UnknownSigner, builder.TryAdd(CoSignature.Create(Witnesses.Keys[5], Witnesses.Head)));
        var otherHead = CoSignature.Create(Witnesses.Keys[2], "another head"u8);
        Assert.Equal(QuorumValidationError.BadSignature, builder.TryAdd(otherHead));
        Assert.Equal(1, builder.Count);
        var ex = Assert.Throws<QuorumException>(builder.Build);
        Assert.Equal(QuorumValidationError.BelowThreshold, ex.Error);
    }

    [Fact]
    public void Validation_names_what_is_wrong()
    {
        var qc = Build(0, 1, 2);
        Assert.Equal(QuorumValidationError.HeadMismatch, qc.Validate(Witnesses.FiveOfThree, "another head"u8));
        var six = WitnessSet.Create(Witnesses.Members, 3);
        Assert.Equal(QuorumValidationError.WitnessSetMismatch, qc.Validate(six, Witnesses.Head));

        // Claim witness 3 signed too, although its signature is not in the aggregate.
        var encoded = qc.Encode();
        var bitmapAt = 1 + 2 + Witnesses.Head.Length + 2;
        encoded[bitmapAt] |= 1 << 3;
        Assert.Equal(QuorumValidationError.BadAggregate, QuorumCertificate.Decode(encoded).Validate(Witnesses.FiveOfThree, Witnesses.Head));

        // Drop witness 2: two signers remain, below the threshold of three.
        encoded = qc.Encode();
        encoded[bitmapAt] &= unchecked((byte)~(1 << 2));
        Assert.Equal(QuorumValidationError.BelowThreshold, QuorumCertificate.Decode(encoded).Validate(Witnesses.FiveOfThree, Witnesses.Head));

        // A bit past the five members.
        encoded = qc.Encode();
        encoded[bitmapAt] |= 1 << 6;
        Assert.Equal(QuorumValidationError.UnknownSigner, Assert.Throws<QuorumException>(() => QuorumCertificate.Decode(encoded)).Error);

        // A signature over a different head, moved onto this one.
        var other = Build(0, 1, 2, "another head"u8.ToArray()).Encode();
        encoded = qc.Encode();
        other.AsSpan(other.Length - 96).CopyTo(encoded.AsSpan(encoded.Length - 96));
        Assert.Equal(QuorumValidationError.BadAggregate, QuorumCertificate.Decode(encoded).Validate(Witnesses.FiveOfThree, Witnesses.Head));
    }

    [Fact]
    public void Decoding_refuses_every_malformed_layout()
    {
        var encoded = Build(0, 1, 3).Encode();
        for (var cut = 0; cut < encoded.Length; cut += 7)
        {
            Assert.Throws<QuorumException>(() => QuorumCertificate.Decode(encoded.AsSpan(0, cut)));
        }

        Assert.Throws<QuorumException>(() => QuorumCertificate.Decode([.. encoded, 0]));
        var badVersion = (byte[])encoded.Clone();
        badVersion[0] = 2;
        Assert.Throws<QuorumException>(() => QuorumCertificate.Decode(badVersion));
    }

    [Fact]
    public void Decoding_random_bytes_only_ever_throws_QuorumException() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            try
            {
                _ = QuorumCertificate.Decode(bytes);
                _ = CoSignature.Decode(bytes);
            }
            catch (QuorumException)
            {
            }
        });

    [Fact]
    public void Co_signatures_round_trip_and_verify()
    {
        var c = CoSignature.Create(Witnesses.Keys[0], Witnesses.Head);
        var d = CoSignature.Decode(c.Encode());
        Assert.True(d.Verify(Witnesses.Head));
        Assert.False(d.Verify("another head"u8));
        Assert.Equal(c.Signer, d.Signer);
    }

    internal static QuorumCertificate Build(int a, int b, int c, byte[]? head = null)
    {
        head ??= Witnesses.Head;
        var builder = new QuorumCertificateBuilder(Witnesses.FiveOfThree, head);
        foreach (var i in new[] { a, b, c })
        {
            Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(Witnesses.Keys[i], head)));
        }

        return builder.Build();
    }
}
