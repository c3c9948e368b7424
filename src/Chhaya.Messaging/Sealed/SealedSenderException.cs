// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Sealed;

/// <summary>
/// A well-formed envelope that is refused: addressed to someone else, does not authenticate, or carries a sender
/// certificate that is expired, badly signed, or for another identity than the one that sealed it.
/// </summary>
public sealed class SealedSenderException : Exception
{
    public SealedSenderException()
    {
    }

    public SealedSenderException(string message)
        : base(message)
    {
    }

    public SealedSenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
