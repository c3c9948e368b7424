// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Tests;

public sealed class ProtocolIdTests
{
    [Fact]
    public void Protocol_ids_follow_the_libp2p_path_form()
    {
        Assert.StartsWith("/chhaya/", MessagingProtocols.Message, StringComparison.Ordinal);
        Assert.StartsWith("/chhaya/", MessagingProtocols.Prekeys, StringComparison.Ordinal);
        Assert.NotEqual(MessagingProtocols.Message, MessagingProtocols.Prekeys);
    }
}
