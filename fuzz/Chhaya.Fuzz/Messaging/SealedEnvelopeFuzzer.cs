// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// Sealed envelopes from the network: decoded, then opened with <see cref="MessagingFuzzKeys.Recipient"/>. Allowed
/// refusals: <see cref="MalformedInputException"/> and <see cref="SealedSenderException"/>.
/// </summary>
public sealed class SealedEnvelopeFuzzer : IFuzzer
{
    public string Name => "messaging-envelope";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var envelope = SealedEnvelope.Decode(input);
            if (!PaddingBuckets.IsBucket(input.Length) || envelope.SealedContent.Length + SealedEnvelope.PrefixLength != input.Length)
            {
                throw new InvalidOperationException("The decoder accepted an envelope that is not a bucket size.");
            }

            var opened = SealedSender.Open(MessagingFuzzKeys.Recipient, input, nowUnixSeconds: 1_800_000_000);
            if (!opened.Sender.Verify(1_800_000_000))
            {
                throw new InvalidOperationException("Open returned an unverified certificate.");
            }
        }
        catch (MalformedInputException)
        {
        }
        catch (SealedSenderException)
        {
        }
    }
}
