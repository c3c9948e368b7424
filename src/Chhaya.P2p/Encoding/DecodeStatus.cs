// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Encoding;

/// <summary>Outcome of a frame decoder that may be fed partial input.</summary>
internal enum DecodeStatus
{
    /// <summary>A whole item was decoded.</summary>
    Done,

    /// <summary>The input ends before the item does; read more and try again.</summary>
    NeedMoreData,

    /// <summary>The input can never become valid; the peer is misbehaving.</summary>
    Malformed,
}
