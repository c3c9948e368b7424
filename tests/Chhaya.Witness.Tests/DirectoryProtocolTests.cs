// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Vkd.Core;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>A witness catching up from a directory node over real libp2p (TCP, Noise, Yamux) on 127.0.0.1.</summary>
public sealed class DirectoryProtocolTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private WitnessHarness _harness = null!;
    private Libp2pHost _server = null!;
    private Libp2pHost _client = null!;
    private DirectoryProtocolServer _protocol = null!;
    private Libp2pConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _harness = await WitnessHarness.CreateAsync();
        _server = NewHost();
        _client = NewHost();
        _protocol = new DirectoryProtocolServer([(WitnessHarness.DirectoryId, _harness.Producer)], NullLogger<DirectoryProtocolServer>.Instance);
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

    [Fact]
    public async Task A_witness_catches_up_and_co_signs_over_libp2p()
    {
        await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await _harness.Producer.PublishAsync([WitnessHarness.Update("bob", "b1")]);
        var head3 = await _harness.Producer.PublishAsync([]);

        var source = new Libp2pDirectorySource(_client, _connection, WitnessHarness.DirectoryId);
        var engine = _harness.Engine(0, await _harness.NewStoreAsync(), source);
        var outcome = await engine.OnHeadAsync(head3, "gossip", _timeout.Token);

        Assert.Equal(HeadDisposition.CoSigned, outcome.Disposition);
        Assert.Equal(4, outcome.CoSignatures.Count);
    }

    [Fact]
    public async Task Unknown_directories_and_epochs_are_not_found_and_oversized_spans_are_refused()
    {
        var other = new Libp2pDirectorySource(_client, _connection, new Digest(new byte[32]));
        Assert.Null(await other.GetHeadAsync(0, _timeout.Token));

        var source = new Libp2pDirectorySource(_client, _connection, WitnessHarness.DirectoryId);
        Assert.NotNull(await source.GetHeadAsync(0, _timeout.Token));
        Assert.Null(await source.GetHeadAsync(99, _timeout.Token));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetAppendOnlyProofAsync(0, 5000, _timeout.Token));
        Assert.Contains("BadRequest", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_request_gets_a_refusal_and_the_server_keeps_serving()
    {
        var stream = await _client.OpenStreamAsync(_connection, [DirectoryProtocol.ProtocolId], _timeout.Token);
        await using (stream)
        {
            await DirectoryProtocol.WriteMessageAsync(stream.Stream, new byte[] { 9, 9, 9 }, _timeout.Token);
            await stream.Stream.CloseWriteAsync(_timeout.Token);
            var response = await DirectoryProtocol.ReadMessageAsync(stream.Stream, 4096, _timeout.Token);
            Assert.Equal((byte)DirectoryResponseStatus.BadRequest, response[0]);
        }

        var source = new Libp2pDirectorySource(_client, _connection, WitnessHarness.DirectoryId);
        Assert.NotNull(await source.GetHeadAsync(0, _timeout.Token));
    }

    [Fact]
    public void Requests_round_trip_and_bad_ones_are_typed_errors()
    {
        var request = new DirectoryRequest(DirectoryRequestKind.AppendOnlyProof, WitnessHarness.DirectoryId, 3, 4);
        Assert.Equal(request, DirectoryProtocol.DecodeRequest(DirectoryProtocol.EncodeRequest(request)));
        var bytes = DirectoryProtocol.EncodeRequest(request);
        bytes[1] = 77;
        Assert.Throws<Chhaya.Safety.MalformedInputException>(() => DirectoryProtocol.DecodeRequest(bytes));
        Assert.Throws<Chhaya.Safety.MalformedInputException>(() => DirectoryProtocol.DecodeRequest(bytes.AsSpan(1)));
    }
}
