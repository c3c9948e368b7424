// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Relay;

/// <summary>The relay (or the target, through it) answered with a status other than OK.</summary>
public sealed class RelayRefusedException : IOException
{
    public RelayRefusedException()
    {
    }

    public RelayRefusedException(string message)
        : base(message)
    {
    }

    public RelayRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RelayRefusedException(RelayStatus status, string message)
        : base(message)
    {
        Status = status;
    }

    public RelayStatus? Status { get; }
}
