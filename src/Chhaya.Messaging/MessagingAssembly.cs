// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging;

/// <summary>Names the protocol identifiers the messaging layer speaks on libp2p.</summary>
public static class MessagingProtocols
{
    /// <summary>Direct delivery of sealed envelopes.</summary>
    public const string Message = "/chhaya/msg/1.0.0";

    /// <summary>Serving the local user's signed prekey bundle.</summary>
    public const string Prekeys = "/chhaya/prekeys/1.0.0";

    /// <summary>Collecting the envelopes a mailbox peer holds for the local user.</summary>
    public const string Mailbox = "/chhaya/mailbox/2.0.0";

    /// <summary>The name of the signed DHT record (<c>/chhaya/prekeys/PEERID</c>) that carries a user's prekey record.</summary>
    public const string PrekeyRecordName = "prekeys";
}
