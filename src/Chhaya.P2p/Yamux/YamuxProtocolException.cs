// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.P2p.Yamux;

/// <summary>The peer broke the Yamux protocol; the session is closed with GoAway(protocol error).</summary>
public sealed class YamuxProtocolException : MalformedInputException
{
    public YamuxProtocolException()
    {
    }

    public YamuxProtocolException(string message)
        : base(message)
    {
    }

    public YamuxProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
