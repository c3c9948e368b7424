// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Chhaya.P2p.Noise;
using Chhaya.Safety;

namespace Chhaya.P2p.Tests.Noise;

public class NoiseVectorTests
{
    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    [Fact]
    public void Cacophony_XX_vector_reproduces_every_message_and_the_handshake_hash()
    {
        var v = JsonDocument.Parse(File.ReadAllText(TestPaths.Vector("noise", "cacophony_Noise_XX_25519_ChaChaPoly_SHA256.json")))
            .RootElement.GetProperty("vectors")[0];
        Assert.Equal(NoiseXXHandshake.ProtocolName, v.GetProperty("protocol_name").GetString());
        using var iStatic = X25519Keys.FromPrivate(Hex(v, "init_static"));
        using var rStatic = X25519Keys.FromPrivate(Hex(v, "resp_static"));
        using var initiator = new NoiseXXHandshake(true, iStatic, Hex(v, "init_prologue"), X25519Keys.FromPrivate(Hex(v, "init_ephemeral")));
        using var responder = new NoiseXXHandshake(false, rStatic, Hex(v, "resp_prologue"), X25519Keys.FromPrivate(Hex(v, "resp_ephemeral")));
        var messages = v.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(6, messages.Length);

        var buffer = new byte[65535];
        var payload = new byte[65535];
        for (var i = 0; i < 3; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            var n = writer.WriteMessage(Hex(messages[i], "payload"), buffer);
            Assert.Equal(messages[i].GetProperty("ciphertext").GetString(), Convert.ToHexStringLower(buffer.AsSpan(0, n)));
            var m = reader.ReadMessage(buffer.AsSpan(0, n), payload);
            Assert.Equal(Hex(messages[i], "payload"), payload.AsSpan(0, m).ToArray());
        }

        Assert.Equal(v.GetProperty("handshake_hash").GetString(), Convert.ToHexStringLower(initiator.HandshakeHash));
        Assert.Equal(initiator.HandshakeHash.ToArray(), responder.HandshakeHash.ToArray());
        Assert.Equal(rStatic.PublicKey, initiator.RemoteStatic.ToArray());
        Assert.Equal(iStatic.PublicKey, responder.RemoteStatic.ToArray());

        var (iSend, iReceive) = initiator.Split();
        var (rSend, rReceive) = responder.Split();
        for (var i = 3; i < messages.Length; i++)
        {
            var (send, receive) = i % 2 == 0 ? (iSend, rReceive) : (rSend, iReceive);
            var n = send.EncryptWithAd([], Hex(messages[i], "payload"), buffer);
            Assert.Equal(messages[i].GetProperty("ciphertext").GetString(), Convert.ToHexStringLower(buffer.AsSpan(0, n)));
            var m = receive.DecryptWithAd([], buffer.AsSpan(0, n), payload);
            Assert.Equal(Hex(messages[i], "payload"), payload.AsSpan(0, m).ToArray());
        }
    }

    [Fact]
    public void Tampered_handshake_message_fails_authentication()
    {
        using var iStatic = X25519Keys.Generate();
        using var rStatic = X25519Keys.Generate();
        using var initiator = new NoiseXXHandshake(true, iStatic, []);
        using var responder = new NoiseXXHandshake(false, rStatic, []);
        var buffer = new byte[1024];
        var payload = new byte[1024];
        var n = initiator.WriteMessage([], buffer);
        responder.ReadMessage(buffer.AsSpan(0, n), payload);
        n = responder.WriteMessage("hello"u8, buffer);
        buffer[40] ^= 1;
        Assert.Throws<MalformedInputException>(() => initiator.ReadMessage(buffer.AsSpan(0, n), payload));
    }

    [Fact]
    public void Short_handshake_messages_are_rejected()
    {
        using var rStatic = X25519Keys.Generate();
        using var responder = new NoiseXXHandshake(false, rStatic, []);
        Assert.Throws<MalformedInputException>(() => responder.ReadMessage(new byte[31], new byte[64]));
    }

    [Fact]
    public void Low_order_ephemeral_key_is_rejected()
    {
        using var iStatic = X25519Keys.Generate();
        using var initiator = new NoiseXXHandshake(true, iStatic, []);
        var buffer = new byte[1024];
        initiator.WriteMessage([], buffer);

        // A responder message whose ephemeral key is the all-zero point gives an all-zero DH output.
        var evil = new byte[32 + 48 + 16];
        Assert.Throws<MalformedInputException>(() => initiator.ReadMessage(evil, new byte[1024]));
    }
}
