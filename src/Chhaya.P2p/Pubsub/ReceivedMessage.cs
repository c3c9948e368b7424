// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Pubsub;

/// <summary>A message that passed the signature policy, as validators and subscribers see it.</summary>
public sealed class ReceivedMessage
{
    internal ReceivedMessage(PubsubMessage message, byte[] id, PeerId? author, PeerId receivedFrom)
    {
        Message = message;
        Id = id;
        Author = author;
        ReceivedFrom = receivedFrom;
    }

    public string Topic => Message.Topic;

    public ReadOnlyMemory<byte> Data => Message.Data ?? [];

    /// <summary>The verified author under StrictSign; null under StrictNoSign.</summary>
    public PeerId? Author { get; }

    /// <summary>The peer that forwarded the message to us (not necessarily its author).</summary>
    public PeerId ReceivedFrom { get; }

    /// <summary>The message id (the topic's message id function).</summary>
    public byte[] Id { get; }

    /// <summary>The message as received, with seqno and signature.</summary>
    public PubsubMessage Message { get; }
}
