// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Noise;

/// <summary>
/// The Noise handshake completed cryptographically but the peer's libp2p identity did not check out. An
/// <see cref="IOException"/>, like every other way a connection to a peer can fail.
/// </summary>
public sealed class NoiseHandshakeException : IOException
{
    public NoiseHandshakeException()
    {
    }

    public NoiseHandshakeException(string message)
        : base(message)
    {
    }

    public NoiseHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
