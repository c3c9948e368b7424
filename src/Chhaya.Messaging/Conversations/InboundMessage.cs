// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Conversations;

/// <summary>
/// A user message released to the application, in conversation order. <c>Late</c> is true when it arrived after the
/// inbox had given up waiting for it and released later messages.
/// </summary>
public sealed record InboundMessage(byte[] MessageId, ulong Sequence, long SentAtUnixMs, byte[] Body, bool Late);
