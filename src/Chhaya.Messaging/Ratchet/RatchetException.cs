// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Ratchet;

/// <summary>
/// A well-formed ratchet message that is refused: it does not authenticate (tampered ciphertext or header, wrong
/// session), it is a replay, its key expired, or it would skip more than MAX_SKIP keys. The session state is
/// unchanged when this is thrown (Signal's spec: discard every change on a failed decryption).
/// </summary>
public sealed class RatchetException : Exception
{
    public RatchetException()
    {
    }

    public RatchetException(string message)
        : base(message)
    {
    }

    public RatchetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
