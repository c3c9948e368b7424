// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Handshake;

/// <summary>
/// A well-formed handshake input that must not be accepted: a bad prekey signature, a low-order key, an unknown
/// or already consumed one-time prekey, or a first message that does not authenticate.
/// </summary>
public sealed class HandshakeException : Exception
{
    public HandshakeException()
    {
    }

    public HandshakeException(string message)
        : base(message)
    {
    }

    public HandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
