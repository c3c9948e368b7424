// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Safety;

namespace Chhaya.Messaging.Handshake;

/// <summary>
/// PQXDH (Signal, "The PQXDH Key Agreement Protocol", revision 3) with X25519, SHA-256 and ML-KEM-1024:
/// <code>
/// DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B) (if an OPK is used)
/// (CT, SS) = ML-KEM-1024.Encaps(PQPK_B)   — a one-time KEM prekey if the bundle has one, else the last-resort one
/// SK = KDF(DH1 ‖ DH2 ‖ DH3 ‖ [DH4] ‖ SS)    AD = IK_A ‖ IK_B
/// </code>
/// The identity keys are Ed25519; their X25519 forms take part in DH1 and DH2 (see <see cref="IdentityKeys"/>).
/// </summary>
public static class Pqxdh
{
    /// <summary>
    /// The initiator's side (§3.3). Refuses a bundle whose identity is not <paramref name="expectedIdentityKey"/>
    /// (the key the directory vouches for) or whose used prekeys (SPK, the chosen one-time X25519 prekey, the chosen
    /// ML-KEM prekey) do not verify, and any low-order key.
    /// </summary>
    /// <returns>The keys and the initial-message template (its ratchet message still empty).</returns>
    /// <exception cref="HandshakeException">Identity mismatch, bad signature, invalid key, or low-order point.</exception>
    public static (PqxdhKeys Keys, PrekeyMessage Template, byte[] RemoteRatchetKey) Initiate(
        IdentityKeyPair initiator, ReadOnlySpan<byte> expectedIdentityKey, PrekeyBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(bundle);
        if (!bundle.IdentityKey.AsSpan().SequenceEqual(expectedIdentityKey))
        {
            throw new HandshakeException("The prekey bundle belongs to a different identity key than the one expected.");
        }

        // Only the prekeys this handshake uses need checking (a full bundle holds up to 34 signatures).
        var opk = bundle.OneTimeEcPrekeys.Count > 0 ? bundle.OneTimeEcPrekeys[0] : null;
        var kemPrekey = bundle.OneTimeKemPrekeys.Count > 0 ? bundle.OneTimeKemPrekeys[0] : bundle.LastResortKemPrekey;
        if (!bundle.SignedPrekey.Verify(bundle.IdentityKey) || !kemPrekey.Verify(bundle.IdentityKey) || opk?.Verify(bundle.IdentityKey) == false)
        {
            throw new HandshakeException("The prekey bundle has a prekey whose signature does not verify (or an invalid ML-KEM key).");
        }

        Span<byte> remoteIdentityX = stackalloc byte[X25519.KeyLength];
        if (!IdentityKeys.TryToX25519(bundle.IdentityKey, remoteIdentityX))
        {
            throw new HandshakeException("The bundle's identity key is not a valid Ed25519 point.");
        }

        var spk = bundle.SignedPrekey.PublicKey;

        using var ephemeral = X25519.GeneratePrivateKey();
        var baseKey = X25519.PublicKey(ephemeral);
        var ciphertext = new byte[MlKem1024.CiphertextLength];
        using var km = SecretBytes.Allocate((opk is null ? 3 : 4) * 32 + MlKem1024.SharedSecretLength);
        var span = km.Span;
        PqxdhKeys.Dh(initiator.AgreementKey, spk, span[..32], "DH1");
        PqxdhKeys.Dh(ephemeral, remoteIdentityX, span[32..64], "DH2");
        PqxdhKeys.Dh(ephemeral, spk, span[64..96], "DH3");
        var offset = 96;
        if (opk is not null)
        {
            PqxdhKeys.Dh(ephemeral, opk.PublicKey, span[96..128], "DH4");
            offset = 128;
        }

        using (var ss = MlKem1024.Encapsulate(kemPrekey.PublicKey, ciphertext))
        {
            ss.ReadOnlySpan.CopyTo(span[offset..]);
        }

        var keys = PqxdhKeys.Derive(km.ReadOnlySpan, initiator.PublicKey, bundle.IdentityKey, baseKey);
        var template = new PrekeyMessage(
            initiator.PublicKey.ToArray(), baseKey, bundle.SignedPrekey.Id, opk?.Id, kemPrekey.Kind, kemPrekey.Id, ciphertext, []);
        return (keys, template, spk.ToArray());
    }

    /// <summary>
    /// The responder's side (§3.4): looks up the named prekeys (without consuming the one-time ones — the caller
    /// consumes them with <see cref="PrekeyStore.TryConsumeOneTime"/> once the first message authenticates),
    /// recomputes the DHs and decapsulates.
    /// </summary>
    /// <returns>The keys and a copy of the signed prekey's private key (Bob's first ratchet key pair), both the caller's to dispose.</returns>
    /// <exception cref="HandshakeException">Unknown, retired or already consumed prekey; invalid identity; low-order point.</exception>
    public static (PqxdhKeys Keys, SecretBytes SignedPrekeyPrivate, byte[] SignedPrekeyPublic) Respond(PrekeyStore store, PrekeyMessage message)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(message);
        Span<byte> initiatorX = stackalloc byte[X25519.KeyLength];
        if (!IdentityKeys.TryToX25519(message.InitiatorIdentityKey, initiatorX))
        {
            throw new HandshakeException("The initiator's identity key is not a valid Ed25519 point.");
        }

        var spkPrivate = store.SignedPrekeyPrivate(message.SignedPrekeyId, out var spkPublic)
            ?? throw new HandshakeException($"Signed prekey {message.SignedPrekeyId} is unknown or retired.");
        SecretBytes? opkPrivate = null;
        SecretBytes? kemPrivate = null;
        try
        {
            if (message.OneTimeEcPrekeyId is { } opkId)
            {
                opkPrivate = store.PeekOneTimeEc(opkId)
                    ?? throw new HandshakeException($"One-time prekey {opkId} was already used or never issued.");
            }

            kemPrivate = message.KemPrekeyKind == PrekeyKind.OneTimeKem
                ? store.PeekOneTimeKem(message.KemPrekeyId)
                    ?? throw new HandshakeException($"One-time KEM prekey {message.KemPrekeyId} was already used or never issued.")
                : store.LastResortPrivate(message.KemPrekeyId)
                    ?? throw new HandshakeException($"Last-resort KEM prekey {message.KemPrekeyId} is unknown or retired.");

            using var km = SecretBytes.Allocate((opkPrivate is null ? 3 : 4) * 32 + MlKem1024.SharedSecretLength);
            var span = km.Span;
            PqxdhKeys.Dh(spkPrivate, initiatorX, span[..32], "DH1");
            PqxdhKeys.Dh(store.Identity.AgreementKey, message.BaseKey, span[32..64], "DH2");
            PqxdhKeys.Dh(spkPrivate, message.BaseKey, span[64..96], "DH3");
            var offset = 96;
            if (opkPrivate is not null)
            {
                PqxdhKeys.Dh(opkPrivate, message.BaseKey, span[96..128], "DH4");
                offset = 128;
            }

            using (var ss = MlKem1024.Decapsulate(kemPrivate, message.KemCiphertext))
            {
                ss.ReadOnlySpan.CopyTo(span[offset..]);
            }

            var keys = PqxdhKeys.Derive(km.ReadOnlySpan, message.InitiatorIdentityKey, store.Identity.PublicKey, message.BaseKey);
            return (keys, spkPrivate, spkPublic);
        }
        catch
        {
            spkPrivate.Dispose();
            throw;
        }
        finally
        {
            opkPrivate?.Dispose();
            kemPrivate?.Dispose();
        }
    }
}
