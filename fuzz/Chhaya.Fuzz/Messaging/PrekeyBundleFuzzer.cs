// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Prekeys;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Messaging;

/// <summary>
/// Prekey bundles from the network: decode, verify, and check that an accepted encoding is canonical (re-encodes to
/// the same bytes). The only allowed refusal is <see cref="MalformedInputException"/>; Verify never throws.
/// </summary>
public sealed class PrekeyBundleFuzzer : IFuzzer
{
    public string Name => "messaging-prekey-bundle";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var bundle = PrekeyBundle.Decode(input);
            bundle.Verify();
            if (!bundle.Encode().AsSpan().SequenceEqual(input))
            {
                throw new InvalidOperationException("A decoded bundle does not re-encode to its input.");
            }
        }
        catch (MalformedInputException)
        {
        }
    }
}
