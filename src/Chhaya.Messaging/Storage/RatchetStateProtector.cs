// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Crypto;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Storage;

/// <summary>
/// Encrypts ratchet-state snapshots at rest under a 32-byte storage key that never touches the database.
/// </summary>
/// <remarks>
/// Each snapshot gets a fresh 32-byte random salt; the snapshot key is
/// <c>HKDF-SHA-256(ikm = storage key, salt, info = "chhaya/v1/msg/ratchet-state-at-rest" ‖ 0x00)</c> and seals once through
/// HKDF-n12 AES-256-GCM, so no (key, nonce) pair repeats across snapshots. Associated data
/// <c>u8 format ‖ u16 len ‖ session id ‖ i64 version</c> binds the ciphertext to its session and snapshot version:
/// a row copied to another session or version does not open.
/// Sealed form: <c>u8 format=1 ‖ salt (32) ‖ ciphertext ‖ tag (16)</c>.
/// </remarks>
public sealed class RatchetStateProtector : IDisposable
{
    public const byte Format = 1;
    private const int SaltLength = 32;

    private readonly SecretBytes _storageKey;

    /// <param name="storageKey">32 bytes; copied, so the caller still owns and disposes its own.</param>
    public RatchetStateProtector(SecretBytes storageKey)
    {
        ArgumentNullException.ThrowIfNull(storageKey);
        Guard.ExactLength(storageKey.Length, 32, nameof(storageKey));
        _storageKey = storageKey.Clone();
    }

    /// <summary>Seals a plaintext state.</summary>
    public byte[] Protect(string sessionId, long version, ReadOnlySpan<byte> state)
    {
        var output = new byte[1 + SaltLength + state.Length + MessageAead.TagLength];
        output[0] = Format;
        RandomNumberGenerator.Fill(output.AsSpan(1, SaltLength));
        var key = DeriveKey(output.AsSpan(1, SaltLength));
        using var messageKey = MessageKey.FromSecret(key);
        messageKey.Seal(state, AssociatedData(sessionId, version), output.AsSpan(1 + SaltLength));
        return output;
    }

    /// <summary>Opens a sealed state into a new secret the caller disposes.</summary>
    /// <exception cref="MalformedInputException">Wrong format or too short.</exception>
    /// <exception cref="CryptographicException">It does not authenticate (wrong key, session, version, or tampered).</exception>
    public SecretBytes Unprotect(string sessionId, long version, ReadOnlySpan<byte> sealedState)
    {
        if (sealedState.Length < 1 + SaltLength + MessageAead.TagLength || sealedState[0] != Format
            || sealedState.Length > 1 + SaltLength + Ratchet.RatchetSession.MaxStateLength + MessageAead.TagLength)
        {
            throw new MalformedInputException("The stored ratchet state is not in a known sealed format, or is too long.");
        }

        using var key = DeriveKey(sealedState.Slice(1, SaltLength));
        var ciphertext = sealedState[(1 + SaltLength)..];
        var state = SecretBytes.Allocate(ciphertext.Length - MessageAead.TagLength);
        if (!MessageAead.TryOpen(key.ReadOnlySpan, ciphertext, AssociatedData(sessionId, version), state.Span))
        {
            state.Dispose();
            throw new CryptographicException("The stored ratchet state does not authenticate under this storage key, session and version.");
        }

        return state;
    }

    public void Dispose() => _storageKey.Dispose();

    private SecretBytes DeriveKey(ReadOnlySpan<byte> salt) =>
        Kdf.DeriveLabeled(_storageKey.ReadOnlySpan, salt, MessagingLabels.StateAtRest, default, MessageAead.KeyLength);

    private static byte[] AssociatedData(string sessionId, long version)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return new WireWriter(64).Byte(Format).Prefixed16(Encoding.UTF8.GetBytes(sessionId)).Int64(version).ToArray();
    }
}
