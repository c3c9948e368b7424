// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// How a topic's messages are authored and checked (pubsub/README.md "Signature Policy Options"). Only the two
/// strict policies exist: the lax, legacy ones accept unsigned or unverifiable messages and are not offered.
/// </summary>
public enum SignaturePolicy
{
    /// <summary>Every message carries <c>from</c>, an 8-byte <c>seqno</c> and a valid signature (the default).</summary>
    StrictSign,

    /// <summary>No message carries <c>from</c>, <c>seqno</c>, <c>signature</c> or <c>key</c>; any that does is rejected.</summary>
    StrictNoSign,
}
