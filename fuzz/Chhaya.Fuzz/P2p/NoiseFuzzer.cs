// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Noise;
using Chhaya.Safety;

namespace Chhaya.Fuzz.P2p;

/// <summary>
/// The Noise decoders: the 2-byte length framing, the libp2p handshake payload protobuf, and the XX state
/// machine reading a first message as responder and a second message as initiator. Only
/// <see cref="MalformedInputException"/> may escape.
/// </summary>
public sealed class NoiseFuzzer : IFuzzer
{
    public string Name => "p2p-noise";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var sequence = new ReadOnlySequence<byte>(input.ToArray());
        while (NoiseFrame.TryRead(sequence, out var body, out var next) == DecodeStatus.Done)
        {
            if (body.Length > NoiseFrame.MaxMessage)
            {
                throw new InvalidOperationException("Noise frame longer than 65535 bytes");
            }

            sequence = sequence.Slice(next);
        }

        try
        {
            _ = NoiseHandshakePayload.Decode(input);
        }
        catch (MalformedInputException)
        {
        }

        var payload = new byte[NoiseFrame.MaxMessage];
        using var responderStatic = X25519Keys.Generate();
        using (var responder = new NoiseXXHandshake(false, responderStatic, []))
        {
            try
            {
                responder.ReadMessage(input[..Math.Min(input.Length, NoiseFrame.MaxMessage)], payload);
            }
            catch (MalformedInputException)
            {
            }
        }

        using var initiatorStatic = X25519Keys.Generate();
        using var initiator = new NoiseXXHandshake(true, initiatorStatic, []);
        initiator.WriteMessage([], new byte[64]);
        try
        {
            initiator.ReadMessage(input[..Math.Min(input.Length, NoiseFrame.MaxMessage)], payload);
        }
        catch (MalformedInputException)
        {
        }
    }
}
