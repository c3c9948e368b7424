// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.P2p.Noise;

/// <summary>
/// The Noise XX handshake state machine (Noise spec sections 5.3 and 7.5) for
/// <c>Noise_XX_25519_ChaChaPoly_SHA256</c>:
/// <code>
///   -> e
///   &lt;- e, ee, s, es
///   -> s, se
/// </code>
/// Each Write/Read step must be called in order for its role; any other order throws. Payloads are opaque here
/// (libp2p puts its <c>NoiseHandshakePayload</c> in messages 2 and 3).
/// </summary>
internal sealed class NoiseXXHandshake : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";

    /// <summary>Largest Noise message (spec section 3).</summary>
    public const int MaxMessageLength = 65535;

    private const int KeyLength = X25519Keys.Size;
    private const int EncryptedKeyLength = KeyLength + NoiseCipherState.TagSize;

    private readonly NoiseSymmetricState _state = new(ProtocolName);
    private readonly X25519Keys _static;
    private readonly X25519Keys _ephemeral;
    private readonly bool _initiator;
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteStatic;
    private int _step;

    public NoiseXXHandshake(bool initiator, X25519Keys staticKeys, ReadOnlySpan<byte> prologue, X25519Keys? ephemeral = null)
    {
        ArgumentNullException.ThrowIfNull(staticKeys);
        _initiator = initiator;
        _static = staticKeys;
        _ephemeral = ephemeral ?? X25519Keys.Generate();
        _state.MixHash(prologue);
    }

    /// <summary>The peer's static X25519 key, known after message 2 (initiator) or 3 (responder).</summary>
    public ReadOnlySpan<byte> RemoteStatic => _remoteStatic;

    public ReadOnlySpan<byte> HandshakeHash => _state.HandshakeHash;

    public bool IsComplete => _step == 3;

    /// <summary>Writes the next message (1 or 3 for the initiator, 2 for the responder) and returns its length.</summary>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        var overhead = (_step, _initiator) switch
        {
            (0, true) => KeyLength,
            (1, false) => KeyLength + EncryptedKeyLength + NoiseCipherState.TagSize,
            (2, true) => EncryptedKeyLength + NoiseCipherState.TagSize,
            _ => throw new InvalidOperationException($"Noise XX: not this side's turn to write (step {_step})"),
        };
        if (payload.Length + overhead > MaxMessageLength || output.Length < payload.Length + overhead)
        {
            throw new ArgumentException("Noise message would exceed 65535 bytes or the output buffer", nameof(payload));
        }

        var pos = 0;
        Span<byte> dh = stackalloc byte[KeyLength];
        try
        {
            switch (_step)
            {
                case 0:
                    // -> e
                    _ephemeral.PublicKey.CopyTo(output);
                    _state.MixHash(_ephemeral.PublicKey);
                    pos = KeyLength;
                    break;
                case 1:
                    // <- e, ee, s, es
                    _ephemeral.PublicKey.CopyTo(output);
                    _state.MixHash(_ephemeral.PublicKey);
                    pos = KeyLength;
                    _ephemeral.Agree(_remoteEphemeral, dh);
                    _state.MixKey(dh);
                    pos += _state.EncryptAndHash(_static.PublicKey, output[pos..]);
                    _static.Agree(_remoteEphemeral, dh);
                    _state.MixKey(dh);
                    break;
                default:
                    // -> s, se
                    pos = _state.EncryptAndHash(_static.PublicKey, output);
                    _static.Agree(_remoteEphemeral, dh);
                    _state.MixKey(dh);
                    break;
            }
        }
        finally
        {
            dh.Clear();
        }

        pos += _state.EncryptAndHash(payload, output[pos..]);
        _step++;
        return pos;
    }

    /// <summary>Reads the next message from the peer and writes its payload; returns the payload length.</summary>
    /// <exception cref="MalformedInputException">The message is too short, fails authentication or carries a bad key.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload)
    {
        if (message.Length > MaxMessageLength)
        {
            throw new MalformedInputException("Noise message is longer than 65535 bytes");
        }

        Span<byte> dh = stackalloc byte[KeyLength];
        var pos = 0;
        try
        {
            switch (_step, _initiator)
            {
                case (0, false):
                    // -> e
                    Need(message, KeyLength);
                    _remoteEphemeral = message[..KeyLength].ToArray();
                    _state.MixHash(_remoteEphemeral);
                    pos = KeyLength;
                    break;
                case (1, true):
                    // <- e, ee, s, es
                    Need(message, KeyLength + EncryptedKeyLength + NoiseCipherState.TagSize);
                    _remoteEphemeral = message[..KeyLength].ToArray();
                    _state.MixHash(_remoteEphemeral);
                    pos = KeyLength;
                    _ephemeral.Agree(_remoteEphemeral, dh);
                    _state.MixKey(dh);
                    _remoteStatic = new byte[KeyLength];
                    _state.DecryptAndHash(message.Slice(pos, EncryptedKeyLength), _remoteStatic);
                    pos += EncryptedKeyLength;
                    _ephemeral.Agree(_remoteStatic, dh);
                    _state.MixKey(dh);
                    break;
                case (2, false):
                    // -> s, se
                    Need(message, EncryptedKeyLength + NoiseCipherState.TagSize);
                    _remoteStatic = new byte[KeyLength];
                    _state.DecryptAndHash(message[..EncryptedKeyLength], _remoteStatic);
                    pos = EncryptedKeyLength;
                    _ephemeral.Agree(_remoteStatic, dh);
                    _state.MixKey(dh);
                    break;
                default:
                    throw new InvalidOperationException($"Noise XX: not this side's turn to read (step {_step})");
            }
        }
        finally
        {
            dh.Clear();
        }

        var n = _state.DecryptAndHash(message[pos..], payload);
        _step++;
        return n;
    }

    /// <summary>After the third message: (send, receive) transport ciphers for this side.</summary>
    public (NoiseCipherState Send, NoiseCipherState Receive) Split()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("Noise XX handshake is not complete");
        }

        var (c1, c2) = _state.Split();
        return _initiator ? (c1, c2) : (c2, c1);
    }

    public void Dispose()
    {
        _state.Dispose();
        _ephemeral.Dispose();
    }

    private static void Need(ReadOnlySpan<byte> message, int length)
    {
        if (message.Length < length)
        {
            throw new MalformedInputException($"Noise handshake message is {message.Length} bytes, at least {length} are needed");
        }
    }
}
