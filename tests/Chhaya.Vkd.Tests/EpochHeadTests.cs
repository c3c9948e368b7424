// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

public class EpochHeadTests
{
    private static EpochHead Head(ulong epoch, byte root, byte previous) =>
        new(new Digest(Enumerable.Repeat((byte)9, 32).ToArray()), epoch, new Digest(Enumerable.Repeat(root, 32).ToArray()), new Digest(Enumerable.Repeat(previous, 32).ToArray()), 1_700_000_000_000);

    [Fact]
    public void Signing_input_is_the_fixed_layout()
    {
        var head = Head(0x0102030405060708, 0xAA, 0xBB);
        var bytes = new byte[EpochHead.SigningInputLength];
        head.WriteSigningInput(bytes);
        var expected = "chhaya/v1/vkd/epoch-head\0"u8.ToArray()
            .Concat(Enumerable.Repeat((byte)9, 32))
            .Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })
            .Concat(Enumerable.Repeat((byte)0xAA, 32))
            .Concat(Enumerable.Repeat((byte)0xBB, 32))
            .Concat(BitConverter.GetBytes(1_700_000_000_000L).Reverse())
            .ToArray();
        Assert.Equal(expected, bytes);
        Assert.Equal(137, bytes.Length);
    }

    [Fact]
    public void Signed_heads_verify_chain_and_reject_any_change()
    {
        using var seed = SecretBytes.CopyFrom(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
        var pk = Crypto.Ed25519.PublicKey(seed);
        var first = SignedEpochHead.Sign(Head(1, 0x11, 0x00), seed);
        var second = SignedEpochHead.Sign(Head(2, 0x22, 0x11), seed);
        second.Verify(pk, first.Head);
        Assert.Equal(second, SignedEpochHead.Decode(second.Encode()) with { Signature = second.Signature });
        Assert.Equal(second.Encode(), SignedEpochHead.Decode(second.Encode()).Encode());

        var wire = second.Encode();
        for (var i = 0; i < wire.Length; i++)
        {
            var tampered = (byte[])wire.Clone();
            tampered[i] ^= 0x01;
            Assert.False(SignedEpochHead.Decode(tampered).VerifySignature(pk), $"byte {i}");
        }

        // Not an extension: wrong previous root, skipped epoch.
        var fork = SignedEpochHead.Sign(Head(2, 0x33, 0x99), seed);
        Assert.Equal(VkdCheck.EpochHeadInvalid, Assert.Throws<VkdVerificationException>(() => fork.Verify(pk, first.Head)).Check);
        var skip = SignedEpochHead.Sign(Head(3, 0x33, 0x11), seed);
        Assert.Equal(VkdCheck.EpochHeadInvalid, Assert.Throws<VkdVerificationException>(() => skip.Verify(pk, first.Head)).Check);
        Assert.Throws<MalformedInputException>(() => SignedEpochHead.Decode(new byte[175]));
    }
}
