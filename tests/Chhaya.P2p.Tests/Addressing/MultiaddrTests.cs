// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Addressing;

public class MultiaddrTests
{
    [Fact]
    public void Feature_file_scenarios_hold_in_both_directions()
    {
        // multiaddr.feature: /ip4/192.0.2.42/tcp/443 <-> 0x04c000022a0601bb, components ip4 (4) and tcp (6).
        var feature = File.ReadAllText(TestPaths.Vector("multiaddr", "multiaddr.feature"));
        Assert.Contains("Given the multiaddr /ip4/192.0.2.42/tcp/443", feature, StringComparison.Ordinal);
        Assert.Contains("Then the packed form is 0x04c000022a0601bb", feature, StringComparison.Ordinal);

        var parsed = Multiaddr.Parse("/ip4/192.0.2.42/tcp/443");
        Assert.Equal("04c000022a0601bb", Convert.ToHexStringLower(parsed.Bytes));
        Assert.Equal(8, parsed.Bytes.Length);
        var decoded = Multiaddr.Decode(Convert.FromHexString("04c000022a0601bb"));
        Assert.Equal("/ip4/192.0.2.42/tcp/443", decoded.ToString());
        Assert.Equal(23, decoded.ToString().Length);
        Assert.Equal(["ip4", "tcp"], decoded.Components.Select(c => c.Protocol.Name));
        Assert.Equal("c000022a", Convert.ToHexStringLower(decoded.Components[0].Value.Span));
        Assert.Equal("01bb", Convert.ToHexStringLower(decoded.Components[1].Value.Span));
    }

    [Fact]
    public void Codes_match_the_registry_table()
    {
        var rows = File.ReadAllLines(TestPaths.Vector("multiaddr", "protocols.csv")).Skip(1)
            .Select(l => l.Split(',').Select(x => x.Trim()).ToArray())
            .Where(r => r.Length >= 3)
            .ToList();
        foreach (var protocol in MultiaddrProtocol.All)
        {
            var row = rows.Single(r => r[2] == protocol.Name);
            Assert.Equal(row[0], protocol.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var size = row[1] == "V" ? MultiaddrProtocol.VariableSize : int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(size, protocol.SizeBits);
        }
    }

    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/4001")]
    [InlineData("/ip6/::1/tcp/4001")]
    [InlineData("/ip6/2001:db8::1/udp/443/quic-v1")]
    [InlineData("/dns4/example.com/tcp/443")]
    [InlineData("/dns/example.com/tcp/443")]
    [InlineData("/dns6/example.com/udp/1/quic-v1")]
    [InlineData("/dnsaddr/bootstrap.libp2p.io")]
    [InlineData("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN")]
    [InlineData("/ip4/1.2.3.4/tcp/1/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N/p2p-circuit/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN")]
    public void Text_and_binary_round_trip(string text)
    {
        var ma = Multiaddr.Parse(text);
        Assert.Equal(text, ma.ToString());
        var again = Multiaddr.Decode(ma.Bytes);
        Assert.Equal(ma, again);
        Assert.Equal(text, again.ToString());
    }

    [Fact]
    public void Ipfs_is_an_alias_of_p2p() =>
        Assert.Equal(
            "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
            Multiaddr.Parse("/ipfs/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N").ToString());

    [Theory]
    [InlineData("")]
    [InlineData("ip4/1.2.3.4")]
    [InlineData("/ip4/1.2.3")]
    [InlineData("/ip4/256.0.0.1")]
    [InlineData("/ip4/::1")]
    [InlineData("/tcp/65536")]
    [InlineData("/tcp/-1")]
    [InlineData("/tcp/01")]
    [InlineData("/tcp")]
    [InlineData("/foo/1")]
    [InlineData("/p2p/notapeerid")]
    [InlineData("/dns4/a b")]
    public void Rejects_bad_text(string text) => Assert.Throws<MalformedInputException>(() => Multiaddr.Parse(text));

    [Theory]
    [InlineData("04c00002")] // truncated ip4
    [InlineData("06")] // tcp without port
    [InlineData("a503")] // p2p with varint length but nothing after it (code 421 = a503)
    [InlineData("a50305ffffffffff")] // p2p with a bad multihash
    [InlineData("ff")] // truncated varint
    [InlineData("8001")] // unknown code 128
    [InlineData("35ffff03")] // dns length over the limit
    public void Rejects_bad_bytes(string hex) =>
        Assert.Throws<MalformedInputException>(() => Multiaddr.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Binary_decoder_round_trips_what_it_accepts_and_throws_nothing_else() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                var ma = Multiaddr.Decode(bytes);
                Assert.Equal(bytes, ma.Bytes.ToArray());
                Assert.Equal(ma, Multiaddr.Parse(ma.ToString()));
            }
            catch (MalformedInputException)
            {
            }
        });

    [Fact]
    public void Generated_tcp_addresses_round_trip() =>
        Gen.Select(Gen.Byte.Array[4], Gen.Int[0, 65535]).Sample((ip, port) =>
        {
            var ma = Multiaddr.FromTcpEndPoint(new System.Net.IPEndPoint(new System.Net.IPAddress(ip), port));
            var again = Multiaddr.Parse(ma.ToString());
            return again.Equals(ma) && again.TryGetTcpTarget()!.Value.Port == port;
        });
}
