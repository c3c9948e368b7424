// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// The other decoders behind an envelope: PQXDH initial messages, sender certificates and conversation content,
/// each must refuse with <see cref="MalformedInputException"/> only, and re-encode what it accepts to the same bytes.
/// </summary>
public sealed class PrekeyMessageFuzzer : IFuzzer
{
    public string Name => "messaging-prekey-message";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        Check(input, b => PrekeyMessage.Decode(b).Encode());
        Check(input, b => SenderCertificate.Decode(b).Encode());
        Check(input, b => ConversationContent.Decode(b).Encode());
    }

    private delegate byte[] RoundTrip(ReadOnlySpan<byte> input);

    private static void Check(ReadOnlySpan<byte> input, RoundTrip roundTrip)
    {
        try
        {
            if (!roundTrip(input).AsSpan().SequenceEqual(input))
            {
                throw new InvalidOperationException("An accepted encoding is not canonical.");
            }
        }
        catch (MalformedInputException)
        {
        }
    }
}
