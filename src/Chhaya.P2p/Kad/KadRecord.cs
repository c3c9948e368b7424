// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>
/// The DHT <c>Record</c> message: <c>bytes key = 1; bytes value = 2; string timeReceived = 5;</c> (fields 3 and 4
/// were removed from the spec and are skipped). <see cref="TimeReceived"/> is set by the receiver, RFC 3339.
/// </summary>
public sealed record KadRecord(byte[] Key, byte[] Value, string? TimeReceived = null);
