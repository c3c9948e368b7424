// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Multistream;

/// <summary>
/// The remote peer answered <c>na</c> to every protocol we proposed. An <see cref="IOException"/>: to a caller it
/// is one more way a peer can fail to serve (a node still starting, an older version), which every peer loop
/// already treats as "try another peer or later", never as a reason to stop.
/// </summary>
public sealed class ProtocolNotSupportedException : IOException
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
