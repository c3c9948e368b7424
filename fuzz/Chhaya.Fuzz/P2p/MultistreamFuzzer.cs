// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Multistream;

namespace Chhaya.Fuzz.P2p;

/// <summary>
/// The multistream-select message decoder over a sequence of messages. It reports statuses and never throws;
/// every message it accepts must re-encode to exactly the bytes it consumed (canonical form).
/// </summary>
public sealed class MultistreamFuzzer : IFuzzer
{
    public string Name => "p2p-multistream";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        for (var i = 0; i < 64 && input.Length > 0; i++)
        {
            var status = MultistreamSelect.TryDecode(input, out var message, out var consumed);
            if (status != DecodeStatus.Done)
            {
                return;
            }

            if (!MultistreamSelect.Encode(message!).AsSpan().SequenceEqual(input[..consumed]))
            {
                throw new InvalidOperationException("accepted a multistream message that does not re-encode identically");
            }

            input = input[consumed..];
        }
    }
}
