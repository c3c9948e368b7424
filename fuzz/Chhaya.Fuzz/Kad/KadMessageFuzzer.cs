// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Kad;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Kad;

/// <summary>
/// The DHT message decoder (<see cref="KadMessage.Decode"/>) and, for a decoded record, the namespaced record
/// validators. Only <see cref="MalformedInputException"/> (decoder) and <see cref="InvalidRecordException"/>
/// (validators) may escape; an accepted message must re-encode to bytes that decode to the same encoding.
/// </summary>
public sealed class KadMessageFuzzer : IFuzzer
{
    private static readonly NamespacedValidator Validator = NamespacedValidator.CreateDefault();

    public string Name => "kad-message";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        KadMessage message;
        try
        {
            message = KadMessage.Decode(input);
        }
        catch (MalformedInputException)
        {
            return;
        }

        var encoded = message.Encode();
        if (!KadMessage.Decode(encoded).Encode().AsSpan().SequenceEqual(encoded))
        {
            throw new InvalidOperationException("kad message re-encoding is not stable");
        }

        if (message.Record is { } record)
        {
            try
            {
                Validator.Validate(record.Key, record.Value);
                _ = Validator.Select(record.Key, [record.Value]);
            }
            catch (InvalidRecordException)
            {
                // The documented rejection.
            }
        }
    }
}
