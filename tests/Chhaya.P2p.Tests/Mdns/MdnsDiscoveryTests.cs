// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Mdns;

namespace Chhaya.P2p.Tests.Mdns;

public class MdnsDiscoveryTests
{
    [Fact]
    public async Task Discovery_is_off_unless_enabled()
    {
        Assert.False(new MdnsOptions().Enabled);
        using var identity = Ed25519Identity.Generate();
        await using var mdns = new MdnsDiscovery(new MdnsOptions(), identity.PeerId, () => []);
        await mdns.StartAsync(CancellationToken.None);
        Assert.False(mdns.IsRunning);
        await mdns.StopAsync(CancellationToken.None);
        Assert.False(await mdns.Discovered.WaitToReadAsync());
    }

    [Fact]
    public void Options_are_checked()
    {
        using var identity = Ed25519Identity.Generate();
        Assert.Throws<ArgumentException>(() => new MdnsDiscovery(new MdnsOptions { QueryInterval = TimeSpan.FromMilliseconds(1) }, identity.PeerId, () => []));
        Assert.ThrowsAny<ArgumentException>(() => new MdnsDiscovery(new MdnsOptions { MaxPacketsPerSecond = 0 }, identity.PeerId, () => []));
    }
}
