// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>A DHT record failed its namespace's validation (bad signature, wrong key, unknown namespace, ...).</summary>
public sealed class InvalidRecordException : Exception
{
    public InvalidRecordException()
    {
    }

    public InvalidRecordException(string message)
        : base(message)
    {
    }

    public InvalidRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
