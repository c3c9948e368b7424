// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.P2p.Noise;

/// <summary>
/// Noise CipherState (Noise spec section 5.1) for ChaChaPoly: a key and a 64-bit nonce n, used as
/// 32 zero bits followed by little-endian n (section 12.3). Nonce 2^64-1 is reserved, so reaching it fails.
/// </summary>
internal sealed class NoiseCipherState : IDisposable
{
    public const int TagSize = 16;

    private ChaCha20Poly1305? _aead;
    private ulong _nonce;

    public bool HasKey => _aead is not null;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _aead?.Dispose();
        _aead = new ChaCha20Poly1305(key);
        _nonce = 0;
    }

    /// <summary>Writes ciphertext||tag (or the plaintext itself when there is no key yet) and returns its length.</summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        if (_aead is null)
        {
            plaintext.CopyTo(output);
            return plaintext.Length;
        }

        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        _aead.Encrypt(nonce, plaintext, output[..plaintext.Length], output.Slice(plaintext.Length, TagSize), ad);
        return plaintext.Length + TagSize;
    }

    /// <summary>Authenticates and decrypts; returns the plaintext length.</summary>
    /// <exception cref="MalformedInputException">Too short, or the tag does not verify.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> output)
    {
        if (_aead is null)
        {
            ciphertext.CopyTo(output);
            return ciphertext.Length;
        }

        if (ciphertext.Length < TagSize)
        {
            throw new MalformedInputException("Noise ciphertext is shorter than its tag");
        }

        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        var length = ciphertext.Length - TagSize;
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], output[..length], ad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(output[..length]);
            throw new MalformedInputException("Noise message failed authentication", e);
        }

        return length;
    }

    public void Dispose()
    {
        _aead?.Dispose();
        _aead = null;
    }

    private void NextNonce(Span<byte> nonce)
    {
        if (_nonce == ulong.MaxValue)
        {
            throw new InvalidOperationException("Noise nonce space is exhausted; the connection must be closed");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce);
        _nonce++;
    }
}
