// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Safety;

/// <summary>
/// Raised when an untrusted input (network frame, file, directory response) is malformed or over a
/// configured bound. Decoders throw it instead of crashing or allocating what the input asks for.
/// </summary>
public class MalformedInputException : Exception
{
    public MalformedInputException()
    {
    }

    public MalformedInputException(string message)
        : base(message)
    {
    }

    public MalformedInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
