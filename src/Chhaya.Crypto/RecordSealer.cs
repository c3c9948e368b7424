// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// The sending side of an AES-256-GCM record stream (see <see cref="RecordAead"/>). It numbers records
/// itself, 0, 1, 2, …, so no two records share a nonce, and refuses once <see cref="RecordAead.MaxRecords"/>
/// have been sealed. Not thread-safe: one sealer per stream direction.
/// </summary>
public sealed class RecordSealer : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _baseNonce = new byte[RecordAead.NonceLength];
    private ulong _next;
    private bool _disposed;

    /// <summary>
    /// Derives the stream cipher from <paramref name="streamKey"/> (32 bytes) and an optional public
    /// <paramref name="context"/> (e.g. a transcript hash, at most <see cref="Kdf.MaxContextLength"/> bytes)
    /// that binds the stream to one session and direction.
    /// </summary>
    public RecordSealer(SecretBytes streamKey, ReadOnlySpan<byte> context)
        : this(streamKey, context, firstCounter: 0)
    {
    }

    /// <summary>Starts at <paramref name="firstCounter"/>; lets the tests reach the end of the counter range.</summary>
    internal RecordSealer(SecretBytes streamKey, ReadOnlySpan<byte> context, ulong firstCounter)
    {
        ArgumentNullException.ThrowIfNull(streamKey);
        _aes = RecordAead.DeriveCipher(streamKey.ReadOnlySpan, context, _baseNonce);
        _next = firstCounter;
    }

    /// <summary>The counter the next sealed record will carry.</summary>
    public ulong NextCounter => _next;

    /// <summary>
    /// Seals the next record into a destination of <c>plaintext.Length + 16</c> bytes and returns its counter,
    /// which the receiver passes to <see cref="RecordOpener.TryOpen"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stream has sealed <see cref="RecordAead.MaxRecords"/> records.</exception>
    public ulong Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Guard.MaxLength(plaintext.Length, RecordAead.MaxRecordLength, nameof(plaintext));
        Guard.ExactLength(destination.Length, plaintext.Length + RecordAead.TagLength, nameof(destination));
        if (_next >= RecordAead.MaxRecords)
        {
            throw new InvalidOperationException("The record stream is exhausted; derive a new stream key.");
        }

        var counter = _next;
        Span<byte> nonce = stackalloc byte[RecordAead.NonceLength];
        RecordAead.RecordNonce(_baseNonce, counter, nonce);
        _aes.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination[plaintext.Length..], associatedData);
        _next = counter + 1;
        return counter;
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
