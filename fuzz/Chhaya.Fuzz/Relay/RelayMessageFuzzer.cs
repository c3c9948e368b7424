// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Relay;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Relay;

/// <summary>
/// The circuit relay v2 decoders: hop and stop messages, DCUtR messages, signed envelopes and reservation vouchers. Only
/// <see cref="MalformedInputException"/> may escape; accepted hop, stop and DCUtR messages must re-encode stably.
/// </summary>
public sealed class RelayMessageFuzzer : IFuzzer
{
    public string Name => "relay-messages";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        Try(input, static b =>
        {
            var once = HopMessage.Decode(b).Encode();
            Check(HopMessage.Decode(once).Encode().AsSpan().SequenceEqual(once), "hop message");
        });
        Try(input, static b =>
        {
            var once = StopMessage.Decode(b).Encode();
            Check(StopMessage.Decode(once).Encode().AsSpan().SequenceEqual(once), "stop message");
        });
        Try(input, static b =>
        {
            var once = HolePunchMessage.Decode(b).Encode();
            Check(HolePunchMessage.Decode(once).Encode().AsSpan().SequenceEqual(once), "hole punch message");
        });
        Try(input, static b => _ = ReservationVoucher.Open(b));
        Try(input, static b => _ = SignedEnvelope.Decode(b));
        Try(input, static b =>
        {
            var voucher = ReservationVoucher.DecodePayload(b);
            Check(ReservationVoucher.DecodePayload(voucher.EncodePayload()) == voucher, "voucher");
        });
    }

    private delegate void SpanAction(ReadOnlySpan<byte> input);

    private static void Try(ReadOnlySpan<byte> input, SpanAction action)
    {
        try
        {
            action(input);
        }
        catch (MalformedInputException)
        {
        }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} does not round-trip");
        }
    }
}
