// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Prekeys;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// Prekey records from the DHT (bundle plus mailbox peers): decode, verify the bundle, and check that an accepted
/// encoding is canonical. The only allowed refusal is <see cref="MalformedInputException"/>.
/// </summary>
public sealed class PrekeyRecordFuzzer : IFuzzer
{
    public string Name => "messaging-prekey-record";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var record = PrekeyRecord.Decode(input);
            record.Bundle.Verify();
            if (!record.Encode().AsSpan().SequenceEqual(input))
            {
                throw new InvalidOperationException("A decoded prekey record does not re-encode to its input.");
            }
        }
        catch (MalformedInputException)
        {
        }
    }
}
