// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.Crypto;
using Chhaya.Directory;
using Chhaya.P2p.Identity;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Protocol;

namespace Chhaya.Integrations.Tests;

/// <summary>A real directory producer with real Ed25519, ECVRF and BLS witness keys, publishing bindings.</summary>
internal sealed class ResolverHarness : IDisposable
{
    public static readonly Digest DirectoryId = new(Enumerable.Repeat((byte)0xA7, 32).ToArray());
    public static readonly VkdConfiguration Configuration = ExperimentalConfiguration.Example;

    private ResolverHarness(VkdDirectory producer, BlsSecretKey[] keys, WitnessSet witnesses)
    {
        Producer = producer;
        Keys = keys;
        Witnesses = witnesses;
    }

    public VkdDirectory Producer { get; }

    public BlsSecretKey[] Keys { get; }

    public WitnessSet Witnesses { get; }

    public static async Task<ResolverHarness> CreateAsync(byte keySeed = 0x50)
    {
        var keys = Enumerable.Range(0, 3).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(keySeed + i), 32).ToArray())).ToArray();
        var set = WitnessSet.Create(keys.Select(k => new WitnessMember(k.PublicKey, k.ProvePossession())), 2);
        using var vrfKey = SecretBytes.CopyFrom(Enumerable.Repeat((byte)9, 32).ToArray());
        var prover = new EcVrfProver(vrfKey);
        using var commitment = SecretBytes.Random(32);
        using var signing = SecretBytes.Random(32);
        var producer = await VkdDirectory.OpenAsync(new VkdDirectoryOptions(Configuration, DirectoryId, prover, commitment, signing), new InMemoryVkdStore());
        return new ResolverHarness(producer, keys, set);
    }

    /// <summary>A fresh user: an Ed25519 identity key and a peer id.</summary>
    public static BindingRecord NewBinding()
    {
        using var seed = Ed25519.GenerateSeed();
        using var peer = Ed25519Identity.Generate();
        return new BindingRecord(Ed25519.PublicKey(seed), peer.PeerId);
    }

    public Task<SignedEpochHead> PublishAsync(string handle, BindingRecord binding) =>
        Producer.PublishAsync([new(System.Text.Encoding.UTF8.GetBytes(handle), binding.Encode())]);

    /// <summary>A quorum certificate from the first <paramref name="signers"/> witnesses over <paramref name="head"/>.</summary>
    public byte[] Certify(SignedEpochHead head, int signers = 2)
    {
        var statement = head.Head.Encode();
        var builder = new QuorumCertificateBuilder(Witnesses, statement);
        foreach (var key in Keys.Take(signers))
        {
            Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(key, statement)));
        }

        return builder.Build().Encode();
    }

    /// <summary>The latest head, the proof for <paramref name="handle"/> and a quorum certificate, as a directory peer would send them.</summary>
    public LookupAnswer Answer(string handle) =>
        new(Producer.LatestHead.Encode(), AkdProofCodec.Encode(Producer.GetLookupProof(System.Text.Encoding.UTF8.GetBytes(handle))), Certify(Producer.LatestHead));

    public VkdProofVerifier Verifier(ReadOnlyMemory<byte>? signingKey = null) => new(
        new DirectoryTrust(DirectoryId, Configuration, Producer.VrfPublicKey.ToArray(), signingKey ?? Producer.SigningPublicKey.ToArray()),
        EcVrfVerifier.Instance,
        new WitnessSetCertificateCheck(Witnesses));

    public void Dispose()
    {
        Producer.Dispose();
        foreach (var key in Keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>Hands the resolver whatever the test sets: a real answer, a tampered one, or nothing.</summary>
internal sealed class ScriptedLookupSource : ILookupSource
{
    public Func<string, LookupAnswer?> Next { get; set; } = _ => null;

    public Task<LookupAnswer?> FetchAsync(ReadOnlyMemory<byte> label, CancellationToken cancellationToken) =>
        Task.FromResult(Next(System.Text.Encoding.UTF8.GetString(label.Span)));
}
