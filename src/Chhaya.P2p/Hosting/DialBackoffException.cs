// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Hosting;

/// <summary>A dial was refused because earlier dials to the same address failed recently.</summary>
public sealed class DialBackoffException : IOException
{
    public DialBackoffException()
    {
    }

    public DialBackoffException(string message)
        : base(message)
    {
    }

    public DialBackoffException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
