// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// A one-time message key for <see cref="MessageAead"/>: it can seal exactly one message, after which
/// it wipes itself. A second <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> throws, so
/// the HKDF-n12 (key, nonce) pair cannot be reused through this API.
/// </summary>
public sealed class MessageKey : IDisposable
{
    private readonly SecretBytes _key;
    private int _used;

    private MessageKey(SecretBytes key)
    {
        _key = key;
    }

    /// <summary>Whether the key has sealed its message (or was disposed) and is gone.</summary>
    public bool IsSpent => Volatile.Read(ref _used) != 0;

    /// <summary>Takes ownership of <paramref name="key"/> (32 bytes); the key is disposed with this object.</summary>
    public static MessageKey FromSecret(SecretBytes key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Guard.ExactLength(key.Length, MessageAead.KeyLength, nameof(key));
        return new MessageKey(key);
    }

    /// <summary>A fresh random message key.</summary>
    public static MessageKey Generate() => new(SecretBytes.Random(MessageAead.KeyLength));

    /// <summary>
    /// Seals one message into a destination of <c>plaintext.Length + 16</c> bytes, then wipes the key.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key has already sealed a message.</exception>
    public void Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        // Argument errors must not spend the key, so they are checked first.
        Guard.MaxLength(plaintext.Length, MessageAead.MaxPlaintextLength, nameof(plaintext));
        Guard.ExactLength(destination.Length, plaintext.Length + MessageAead.TagLength, nameof(destination));
        if (Interlocked.Exchange(ref _used, 1) != 0)
        {
            throw new InvalidOperationException("This message key has already sealed a message; a key seals exactly once.");
        }

        try
        {
            MessageAead.Seal(_key.ReadOnlySpan, plaintext, associatedData, destination);
        }
        finally
        {
            _key.Dispose();
        }
    }

    /// <summary>Seals one message into a new array (ciphertext ‖ tag), then wipes the key.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        Guard.MaxLength(plaintext.Length, MessageAead.MaxPlaintextLength, nameof(plaintext));
        var output = new byte[plaintext.Length + MessageAead.TagLength];
        Seal(plaintext, associatedData, output);
        return output;
    }

    /// <summary>Wipes the key.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _used, 1);
        _key.Dispose();
    }

    /// <summary>Never reveals the key.</summary>
    public override string ToString() => IsSpent ? "MessageKey(spent)" : "MessageKey(unused)";
}
