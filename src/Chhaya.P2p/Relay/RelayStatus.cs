// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Relay;

/// <summary>Circuit relay v2 status codes (specs <c>relay/circuit-v2.md</c>, "Protobuf").</summary>
public enum RelayStatus
{
    Ok = 100,
    ReservationRefused = 200,
    ResourceLimitExceeded = 201,
    PermissionDenied = 202,
    ConnectionFailed = 203,
    NoReservation = 204,
    MalformedMessage = 400,
    UnexpectedMessage = 401,
}
