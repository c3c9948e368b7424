// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Multistream;

/// <summary>The remote peer answered <c>na</c> to every protocol we proposed.</summary>
public sealed class ProtocolNotSupportedException : Exception
{
    public ProtocolNotSupportedException()
    {
    }

    public ProtocolNotSupportedException(string message)
        : base(message)
    {
    }

    public ProtocolNotSupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProtocolNotSupportedException(IReadOnlyList<string> protocols)
        : base($"peer supports none of: {string.Join(", ", protocols ?? [])}")
    {
    }
}
