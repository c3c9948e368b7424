// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Directory;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Integrations.Tests;

/// <summary>The resolver against a real directory, real ECVRF proofs and real BLS quorum certificates.</summary>
public sealed class HandshakeResolverTests : IAsyncLifetime, IDisposable
{
    private readonly ScriptedLookupSource _source = new();
    private readonly InMemoryPinStore _pins = new();
    private ResolverHarness _harness = null!;
    private HandshakeResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _harness = await ResolverHarness.CreateAsync();
        _resolver = new HandshakeResolver(_harness.Verifier(), _source, _pins, NullLogger<HandshakeResolver>.Instance);
        _source.Next = handle => _harness.Answer(handle);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _resolver.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public async Task A_certified_binding_is_accepted_and_pinned()
    {
        var alice = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", alice);

        Assert.False(await _resolver.CanSendAsync("alice", default));
        var outcome = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.Pinned, outcome.Status);
        Assert.True(outcome.Binding!.SameIdentityAs(alice));
        Assert.Equal(alice.PeerId, outcome.Binding.PeerId);
        Assert.True(await _resolver.CanSendAsync("alice", default));
        Assert.Equal(ResolveStatus.Confirmed, (await _resolver.ResolveAsync("alice", default)).Status);
    }

    [Fact]
    public async Task A_tampered_proof_is_rejected_with_the_failed_check_and_not_pinned()
    {
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());
        _source.Next = handle =>
        {
            // The directory peer swaps in a binding of its own choosing: the commitment no longer opens.
            var proof = _harness.Producer.GetLookupProof("alice"u8) with { Value = ResolverHarness.NewBinding().Encode() };
            var answer = _harness.Answer(handle);
            return answer with { LookupProof = AkdProofCodec.Encode(proof) };
        };

        var outcome = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.Rejected, outcome.Status);
        Assert.Equal(LookupVerdict.ProofInvalid, outcome.Verdict);
        Assert.NotNull(outcome.FailedCheck);
        Assert.Null(await _pins.GetAsync("alice", default));
        Assert.False(await _resolver.CanSendAsync("alice", default));
    }

    [Fact]
    public async Task A_truncated_proof_is_malformed()
    {
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());
        _source.Next = handle =>
        {
            var answer = _harness.Answer(handle);
            return answer with { LookupProof = answer.LookupProof[..^1] };
        };

        var outcome = await _resolver.ResolveAsync("alice", default);
        Assert.Equal(LookupVerdict.ProofMalformed, outcome.Verdict);
        Assert.Null(await _pins.GetAsync("alice", default));
    }

    [Fact]
    public async Task A_missing_or_insufficient_certificate_is_rejected()
    {
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());

        _source.Next = handle => _harness.Answer(handle) with { QuorumCertificate = null };
        Assert.Equal(LookupVerdict.NotCertified, (await _resolver.ResolveAsync("alice", default)).Verdict);

        // A certificate whose aggregate signature was altered.
        _source.Next = handle =>
        {
            var certificate = _harness.Certify(_harness.Producer.LatestHead);
            certificate[^5] ^= 0x01;
            return _harness.Answer(handle) with { QuorumCertificate = certificate };
        };
        Assert.Equal(LookupVerdict.NotCertified, (await _resolver.ResolveAsync("alice", default)).Verdict);

        // A well-formed certificate from a quorum of witnesses this client does not trust.
        using var foreign = await ResolverHarness.CreateAsync(keySeed: 0x70);
        _source.Next = handle => _harness.Answer(handle) with { QuorumCertificate = foreign.Certify(_harness.Producer.LatestHead) };
        Assert.Equal(LookupVerdict.NotCertified, (await _resolver.ResolveAsync("alice", default)).Verdict);

        // A valid certificate, but over an older head.
        var old = (await _harness.Producer.GetHeadAsync(0))!;
        _source.Next = handle => _harness.Answer(handle) with { QuorumCertificate = _harness.Certify(old) };
        Assert.Equal(LookupVerdict.NotCertified, (await _resolver.ResolveAsync("alice", default)).Verdict);

        Assert.Null(await _pins.GetAsync("alice", default));
    }

    [Fact]
    public async Task A_head_signed_by_another_key_is_rejected()
    {
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());
        using var otherSeed = Ed25519.GenerateSeed();
        using var resolver = new HandshakeResolver(_harness.Verifier(Ed25519.PublicKey(otherSeed)), _source, _pins, NullLogger<HandshakeResolver>.Instance);

        var outcome = await resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.Rejected, outcome.Status);
        Assert.Equal(LookupVerdict.HeadSignatureInvalid, outcome.Verdict);
        Assert.Null(await _pins.GetAsync("alice", default));
    }

    [Fact]
    public async Task A_value_that_is_not_a_binding_is_rejected()
    {
        await _harness.Producer.PublishAsync([new("alice"u8.ToArray(), "not a binding"u8.ToArray())]);

        var outcome = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.Rejected, outcome.Status);
        Assert.Equal(BindingCheck.BindingMalformed, outcome.BindingCheck);
        Assert.Null(await _pins.GetAsync("alice", default));
    }

    [Fact]
    public async Task A_new_identity_key_is_reported_and_blocks_sending_until_accepted()
    {
        var first = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", first);
        Assert.Equal(ResolveStatus.Pinned, (await _resolver.ResolveAsync("alice", default)).Status);

        var second = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", second);
        var changed = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.KeyChanged, changed.Status);
        Assert.True(changed.Previous!.SameIdentityAs(first));
        Assert.True(changed.Binding!.SameIdentityAs(second));
        Assert.False(await _resolver.CanSendAsync("alice", default));
        Assert.Equal(ResolveStatus.KeyChanged, (await _resolver.ResolveAsync("alice", default)).Status);
        Assert.False(await _resolver.CanSendAsync("alice", default));

        Assert.True(await _resolver.AcceptKeyChangeAsync("alice", default));
        Assert.True(await _resolver.CanSendAsync("alice", default));
        Assert.True((await _pins.GetAsync("alice", default))!.Binding.SameIdentityAs(second));
        Assert.Equal(ResolveStatus.Confirmed, (await _resolver.ResolveAsync("alice", default)).Status);
        Assert.False(await _resolver.AcceptKeyChangeAsync("alice", default));
    }

    [Fact]
    public async Task A_peer_id_move_with_the_same_key_is_confirmed()
    {
        var first = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", first);
        await _resolver.ResolveAsync("alice", default);

        var moved = new BindingRecord(first.IdentityKey, ResolverHarness.NewBinding().PeerId);
        await _harness.PublishAsync("alice", moved);
        var outcome = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(ResolveStatus.Confirmed, outcome.Status);
        Assert.Equal(moved.PeerId, (await _pins.GetAsync("alice", default))!.Binding.PeerId);
        Assert.True(await _resolver.CanSendAsync("alice", default));
    }

    [Fact]
    public async Task An_older_certified_head_after_a_pin_is_a_rollback()
    {
        var first = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", first);
        var stale = _harness.Answer("alice");
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());
        await _resolver.ResolveAsync("alice", default);

        _source.Next = _ => stale;
        var outcome = await _resolver.ResolveAsync("alice", default);

        Assert.Equal(LookupVerdict.EpochRolledBack, outcome.Verdict);
        Assert.True(await _resolver.CanSendAsync("alice", default));
    }

    [Fact]
    public async Task Unknown_and_unavailable_handles_are_not_pinned()
    {
        _source.Next = _ => null;
        Assert.Equal(ResolveStatus.NotFound, (await _resolver.ResolveAsync("carol", default)).Status);

        using var failing = new HandshakeResolver(_harness.Verifier(), new FailingSource(), _pins, NullLogger<HandshakeResolver>.Instance);
        Assert.Equal(ResolveStatus.Unavailable, (await failing.ResolveAsync("carol", default)).Status);
        Assert.Null(await _pins.GetAsync("carol", default));
        await Assert.ThrowsAsync<ArgumentException>(() => _resolver.ResolveAsync(new string('x', HandshakeResolver.MaxHandleLength + 1), default));
    }

    private sealed class FailingSource : ILookupSource
    {
        public Task<LookupAnswer?> FetchAsync(ReadOnlyMemory<byte> label, CancellationToken cancellationToken) =>
            throw new LookupUnavailableException("no directory peer reachable");
    }
}
