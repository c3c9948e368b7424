// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Directory.Tests;

/// <summary>Lookup proof + signed head + quorum certificate -> decision, with a real directory and ECVRF.</summary>
public sealed class VkdProofVerifierTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Certificate = [0xC0, 0xFF, 0xEE];
    private readonly SecretBytes _vrfKey = SecretBytes.CopyFrom(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private EcVrfProver? _prover;
    private VkdDirectory? _directory;
    private byte[] _head = [];
    private byte[] _proof = [];

    private VkdDirectory Directory => _directory!;

    public async Task InitializeAsync()
    {
        _prover = new EcVrfProver(_vrfKey);
        using var commitment = SecretBytes.Random(32);
        using var signing = SecretBytes.Random(32);
        var id = new Digest(Enumerable.Repeat((byte)7, 32).ToArray());
        _directory = await VkdDirectory.OpenAsync(
            new VkdDirectoryOptions(WhatsAppV1Configuration.Instance, id, _prover, commitment, signing), new InMemoryVkdStore());
        await Directory.PublishAsync([new("alice"u8.ToArray(), "key-1"u8.ToArray())]);
        var head = await Directory.PublishAsync([new("alice"u8.ToArray(), "key-2"u8.ToArray())]);
        _head = head.Encode();
        _proof = AkdProofCodec.Encode(Directory.GetLookupProof("alice"u8));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _directory?.Dispose();
        _prover?.Dispose();
        _vrfKey.Dispose();
    }

    [Fact]
    public void Valid_certified_lookup_is_accepted()
    {
        var decision = Verifier().VerifyVkdProof("alice"u8.ToArray(), _head, Certificate, _proof);
        Assert.True(decision.Accepted, decision.Detail);
        Assert.Equal("key-2"u8.ToArray(), decision.Result!.Value.ToArray());
        Assert.Equal(2UL, decision.Result.Version);
    }

    [Fact]
    public void Each_failed_check_is_named()
    {
        var v = Verifier();
        Assert.Equal(LookupVerdict.HeadMalformed, v.VerifyVkdProof("alice"u8.ToArray(), _head.AsSpan(0, _head.Length - 1), Certificate, _proof).Verdict);
        Assert.Equal(LookupVerdict.NotCertified, v.VerifyVkdProof("alice"u8.ToArray(), _head, [1, 2], _proof).Verdict);
        Assert.Equal(LookupVerdict.EpochRolledBack, v.VerifyVkdProof("alice"u8.ToArray(), _head, Certificate, _proof, minimumEpoch: 3).Verdict);
        Assert.Equal(LookupVerdict.ProofMalformed, v.VerifyVkdProof("alice"u8.ToArray(), _head, Certificate, _proof.AsSpan(0, _proof.Length - 1)).Verdict);
        var wrongLabel = v.VerifyVkdProof("bob"u8.ToArray(), _head, Certificate, _proof);
        Assert.Equal(LookupVerdict.ProofInvalid, wrongLabel.Verdict);
        Assert.Equal(VkdCheck.VrfProofInvalid, wrongLabel.FailedCheck);

        var head = (byte[])_head.Clone();
        head[50] ^= 1; // inside the root
        Assert.Equal(LookupVerdict.HeadSignatureInvalid, v.VerifyVkdProof("alice"u8.ToArray(), head, Certificate, _proof).Verdict);

        var other = new VkdProofVerifier(Trust() with { DirectoryId = default }, EcVrfVerifier.Instance, new FixedCertificate());
        Assert.Equal(LookupVerdict.WrongDirectory, other.VerifyVkdProof("alice"u8.ToArray(), _head, Certificate, _proof).Verdict);
    }

    [Fact]
    public async Task An_older_certified_head_does_not_accept_the_newer_proof()
    {
        var old = (await Directory.GetHeadAsync(1))!.Encode();
        var decision = Verifier().VerifyVkdProof("alice"u8.ToArray(), old, Certificate, _proof);
        Assert.False(decision.Accepted);
        Assert.Equal(LookupVerdict.ProofInvalid, decision.Verdict);
    }

    private VkdProofVerifier Verifier() => new(Trust(), EcVrfVerifier.Instance, new FixedCertificate());

    private DirectoryTrust Trust() => new(
        Directory.LatestHead.Head.DirectoryId, WhatsAppV1Configuration.Instance, Directory.VrfPublicKey.ToArray(), Directory.SigningPublicKey.ToArray());

    // Stands in for Chhaya.Quorum's certificate check: certifies any head whose certificate is the agreed bytes.
    private sealed class FixedCertificate : IQuorumCertificateCheck
    {
        public bool IsCertified(SignedEpochHead head, ReadOnlySpan<byte> certificate) => certificate.SequenceEqual(Certificate);
    }
}
