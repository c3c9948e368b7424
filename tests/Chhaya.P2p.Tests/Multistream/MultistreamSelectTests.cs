// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Multistream;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Multistream;

public class MultistreamSelectTests
{
    [Fact]
    public void Header_encodes_as_in_the_spec() =>
        Assert.Equal("132f6d756c746973747265616d2f312e302e300a", Convert.ToHexStringLower(MultistreamSelect.Encode("/multistream/1.0.0")));

    [Fact]
    public async Task Dialer_and_listener_agree_after_a_na()
    {
        var (a, b) = await SocketPair.CreateAsync();
        await using var _ = a;
        await using var __ = b;
        var listener = MultistreamSelect.ListenAsync(b, p => p == "/two", CancellationToken.None);
        var chosen = await MultistreamSelect.SelectAsync(a, ["/one", "/two"], CancellationToken.None);
        Assert.Equal("/two", chosen);
        Assert.Equal("/two", await listener);
    }

    [Fact]
    public async Task Dialer_gets_a_typed_error_when_nothing_is_supported()
    {
        var (a, b) = await SocketPair.CreateAsync();
        await using var _ = a;
        await using var __ = b;
        var listener = MultistreamSelect.ListenAsync(b, _ => false, CancellationToken.None);
        await Assert.ThrowsAsync<ProtocolNotSupportedException>(() => MultistreamSelect.SelectAsync(a, ["/x"], CancellationToken.None));
        a.Close();
        Assert.Null(await listener);
    }

    [Theory]
    [InlineData("00")] // empty message
    [InlineData("8108")] // 1025 bytes: over the limit
    [InlineData("03616263")] // no newline
    [InlineData("0461620a0a")] // two newlines
    [InlineData("03ff fe0a")]
    public void Decoder_rejects_malformed_messages(string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(DecodeStatus.Malformed, MultistreamSelect.TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void Decoder_asks_for_more_data_on_a_prefix() =>
        Assert.Equal(DecodeStatus.NeedMoreData, MultistreamSelect.TryDecode(MultistreamSelect.Encode("/noise").AsSpan(0, 4), out _, out _));

    [Fact]
    public void Encode_decode_round_trips() =>
        Gen.String[Gen.Char['!', '~'], 1, 200].Sample(s =>
        {
            var bytes = MultistreamSelect.Encode("/" + s);
            return MultistreamSelect.TryDecode(bytes, out var m, out var c) == DecodeStatus.Done && m == "/" + s && c == bytes.Length;
        });

    [Fact]
    public async Task Listener_rejects_a_bad_header()
    {
        var (a, b) = await SocketPair.CreateAsync();
        await using var _ = a;
        await using var __ = b;
        await a.WriteAsync(MultistreamSelect.Encode("/multistream/2.0.0"));
        await Assert.ThrowsAsync<MalformedInputException>(() => MultistreamSelect.ListenAsync(b, _ => true, CancellationToken.None));
    }
}
