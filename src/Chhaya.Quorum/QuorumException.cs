// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Quorum;

/// <summary>A witness set, co-signature or certificate was refused; <see cref="Error"/> says why.</summary>
public sealed class QuorumException : MalformedInputException
{
    public QuorumException()
    {
    }

    public QuorumException(string message)
        : base(message)
    {
    }

    public QuorumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QuorumException(QuorumValidationError error, string message)
        : base(message) => Error = error;

    /// <summary>The typed reason.</summary>
    public QuorumValidationError Error { get; }
}
