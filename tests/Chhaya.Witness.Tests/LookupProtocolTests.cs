// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>Lookup proofs served over real libp2p (TCP, Noise, Yamux) on 127.0.0.1 and verified end to end.</summary>
public sealed class LookupProtocolTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly Dictionary<ulong, QuorumCertificate> _certificates = [];
    private WitnessHarness _harness = null!;
    private Libp2pHost _server = null!;
    private Libp2pHost _client = null!;
    private LookupProtocolServer _protocol = null!;
    private Libp2pConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _harness = await WitnessHarness.CreateAsync();
        _server = NewHost();
        _client = NewHost();
        _protocol = new LookupProtocolServer(
            [(WitnessHarness.DirectoryId, _harness.Producer)],
            (dir, epoch, _) => Task.FromResult(dir == WitnessHarness.DirectoryId && _certificates.TryGetValue(epoch, out var c) ? c : null),
            NullLogger<LookupProtocolServer>.Instance);
        _protocol.Register(_server.Router);
        await _server.StartAsync(_timeout.Token);
        await _client.StartAsync(_timeout.Token);
        _connection = await _client.DialAsync(_server.ListenAddresses[0].WithPeerId(_server.PeerId), _timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    public void Dispose()
    {
        _protocol.Dispose();
        _timeout.Dispose();
    }

    private static Libp2pHost NewHost() => new(new Libp2pHostOptions
    {
        Identity = Ed25519Identity.Generate(),
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
    });

    private async Task CertifyLatestAsync()
    {
        var head = _harness.Producer.LatestHead;
        var builder = new QuorumCertificateBuilder(_harness.Witnesses, head.Head.Encode());
        foreach (var key in _harness.Keys.Take(2))
        {
            Assert.Equal(QuorumValidationError.None, builder.TryAdd(CoSignature.Create(key, head.Head.Encode())));
        }

        _certificates[head.Head.Epoch] = builder.Build();
        await Task.CompletedTask;
    }

    // The full client-side decision (Chhaya.Directory's VkdProofVerifier) is exercised in Chhaya.Integrations.Tests;
    // here each part of the answer is checked against what the producer and the witnesses made.
    private VerifyResult VerifyAnswer(string label, LookupAnswer answer)
    {
        var head = SignedEpochHead.Decode(answer.SignedHead.Span);
        Assert.True(head.VerifySignature(_harness.Producer.SigningPublicKey));
        var proof = AkdProofCodec.DecodeLookupProof(answer.LookupProof.Span);
        return VkdVerifier.VerifyLookup(WitnessHarness.Configuration, EcVrfVerifier.Instance, _harness.Producer.VrfPublicKey.ToArray(), head.Head.Root, head.Head.Epoch, System.Text.Encoding.UTF8.GetBytes(label), proof);
    }

    [Fact]
    public async Task A_certified_lookup_over_libp2p_verifies()
    {
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a2"), WitnessHarness.Update("bob", "b1")]);
        await CertifyLatestAsync();

        var client = new Libp2pLookupClient(_client, _connection);
        var result = await client.LookupAsync(WitnessHarness.DirectoryId, "alice"u8.ToArray(), _timeout.Token);

        Assert.Equal(LookupResponseStatus.Ok, result.Status);
        var answer = result.Answer!;
        Assert.NotNull(answer.QuorumCertificate);
        var head = SignedEpochHead.Decode(answer.SignedHead.Span);
        Assert.Equal(_harness.Producer.LatestHead.Head.Epoch, head.Head.Epoch);
        Assert.Equal(QuorumValidationError.None, QuorumCertificate.Decode(answer.QuorumCertificate.Value.Span).Validate(_harness.Witnesses, head.Head.Encode()));
        Assert.Equal("a2"u8.ToArray(), VerifyAnswer("alice", answer).Value.ToArray());
    }

    [Fact]
    public async Task Without_a_stored_certificate_the_answer_carries_none()
    {
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);

        var result = await new Libp2pLookupClient(_client, _connection).LookupAsync(WitnessHarness.DirectoryId, "alice"u8.ToArray(), _timeout.Token);

        Assert.Equal(LookupResponseStatus.Ok, result.Status);
        Assert.Null(result.Answer!.QuorumCertificate);
        Assert.Equal("a1"u8.ToArray(), VerifyAnswer("alice", result.Answer).Value.ToArray());
    }

    [Fact]
    public async Task Unknown_labels_and_directories_are_not_found()
    {
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var client = new Libp2pLookupClient(_client, _connection);

        Assert.Equal(LookupResponseStatus.NotFound, (await client.LookupAsync(WitnessHarness.DirectoryId, "carol"u8.ToArray(), _timeout.Token)).Status);
        Assert.Equal(LookupResponseStatus.NotFound, (await client.LookupAsync(new Digest(new byte[32]), "alice"u8.ToArray(), _timeout.Token)).Status);
    }

    [Fact]
    public async Task A_malformed_request_gets_a_refusal_and_the_server_keeps_serving()
    {
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var stream = await _client.OpenStreamAsync(_connection, [LookupProtocol.ProtocolId], _timeout.Token);
        await using (stream)
        {
            await DirectoryProtocol.WriteMessageAsync(stream.Stream, new byte[] { 1, 2, 3 }, _timeout.Token);
            await stream.Stream.CloseWriteAsync(_timeout.Token);
            var response = await DirectoryProtocol.ReadMessageAsync(stream.Stream, 4096, _timeout.Token);
            Assert.Equal((byte)LookupResponseStatus.BadRequest, response[0]);
        }

        var result = await new Libp2pLookupClient(_client, _connection).LookupAsync(WitnessHarness.DirectoryId, "alice"u8.ToArray(), _timeout.Token);
        Assert.Equal(LookupResponseStatus.Ok, result.Status);
    }

    [Fact]
    public void Requests_and_answers_round_trip_and_bad_ones_are_typed_errors()
    {
        var request = new LookupRequest(WitnessHarness.DirectoryId, "alice"u8.ToArray());
        var bytes = LookupProtocol.EncodeRequest(request);
        var decoded = LookupProtocol.DecodeRequest(bytes);
        Assert.Equal(request.DirectoryId, decoded.DirectoryId);
        Assert.Equal(request.Label.ToArray(), decoded.Label.ToArray());

        bytes[0] = 2;
        Assert.Throws<MalformedInputException>(() => LookupProtocol.DecodeRequest(bytes));
        Assert.Throws<MalformedInputException>(() => LookupProtocol.DecodeRequest(LookupProtocol.EncodeRequest(request).AsSpan(0, 38)));
        Assert.Throws<ArgumentException>(() => LookupProtocol.EncodeRequest(new LookupRequest(default, new byte[LookupProtocol.MaxLabelLength + 1])));

        var answer = new LookupAnswer(new byte[176], new byte[] { 1, 2, 3 }, new byte[] { 9 });
        var encoded = LookupProtocol.EncodeAnswer(answer);
        var back = LookupProtocol.DecodeAnswer(encoded.AsSpan(1));
        Assert.Equal(answer.LookupProof.ToArray(), back.LookupProof.ToArray());
        Assert.Equal(new byte[] { 9 }, back.QuorumCertificate!.Value.ToArray());

        Assert.Throws<MalformedInputException>(() => LookupProtocol.DecodeAnswer(encoded.AsSpan(1, encoded.Length - 2)));
        var oversized = (byte[])encoded.Clone();
        oversized[1 + 176] = 0xFF; // proof length high byte
        Assert.Throws<MalformedInputException>(() => LookupProtocol.DecodeAnswer(oversized.AsSpan(1)));
    }

    [Fact]
    public void Random_answers_decode_or_fail_with_the_documented_exception()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            try
            {
                LookupProtocol.DecodeAnswer(bytes);
            }
            catch (MalformedInputException)
            {
            }

            try
            {
                LookupProtocol.DecodeRequest(bytes);
            }
            catch (MalformedInputException)
            {
            }
        }
    }
}
