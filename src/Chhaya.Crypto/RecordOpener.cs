// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// The receiving side of an AES-256-GCM record stream (see <see cref="RecordAead"/>). It accepts records
/// whose counters strictly increase: a replayed or reordered-backwards record is refused before decryption,
/// gaps (lost records) are allowed. Not thread-safe.
/// </summary>
public sealed class RecordOpener : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _baseNonce = new byte[RecordAead.NonceLength];
    private ulong _next;
    private bool _disposed;

    /// <summary>Derives the same cipher as the <see cref="RecordSealer"/> with this key and context.</summary>
    public RecordOpener(SecretBytes streamKey, ReadOnlySpan<byte> context)
    {
        ArgumentNullException.ThrowIfNull(streamKey);
        _aes = RecordAead.DeriveCipher(streamKey.ReadOnlySpan, context, _baseNonce);
    }

    /// <summary>The smallest counter still acceptable.</summary>
    public ulong NextCounter => _next;

    /// <summary>
    /// Opens the record sealed with <paramref name="counter"/> into a destination of <c>ciphertext.Length − 16</c>
    /// bytes. Returns false, with the destination cleared and the state unchanged, when the counter is not
    /// above every accepted one, is out of range, the input is malformed, or it does not authenticate.
    /// </summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (counter < _next || counter >= RecordAead.MaxRecords
            || ciphertext.Length < RecordAead.TagLength || ciphertext.Length - RecordAead.TagLength > RecordAead.MaxRecordLength)
        {
            destination.Clear();
            return false;
        }

        var plaintextLength = ciphertext.Length - RecordAead.TagLength;
        Guard.ExactLength(destination.Length, plaintextLength, nameof(destination));
        Span<byte> nonce = stackalloc byte[RecordAead.NonceLength];
        RecordAead.RecordNonce(_baseNonce, counter, nonce);
        try
        {
            _aes.Decrypt(nonce, ciphertext[..plaintextLength], ciphertext[plaintextLength..], destination, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        _next = counter + 1;
        return true;
    }

    /// <summary>Wipes the derived key material.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_baseNonce);
        }
    }
}
