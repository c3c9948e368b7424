// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.AutoNat;
using Chhaya.Safety;

namespace Chhaya.Fuzz.AutoNat;

/// <summary>
/// The AutoNAT v1 message decoder. Only <see cref="MalformedInputException"/> may escape; an accepted message must
/// re-encode to bytes that decode and re-encode to themselves.
/// </summary>
public sealed class AutoNatMessageFuzzer : IFuzzer
{
    public string Name => "autonat-message";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        AutoNatMessage message;
        try
        {
            message = AutoNatMessage.Decode(input);
        }
        catch (MalformedInputException)
        {
            return;
        }

        var encoded = message.Encode();
        if (!AutoNatMessage.Decode(encoded).Encode().AsSpan().SequenceEqual(encoded))
        {
            throw new InvalidOperationException("AutoNAT message does not round-trip");
        }
    }
}
