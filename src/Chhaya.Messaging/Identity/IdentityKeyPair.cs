// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Identity;

/// <summary>
/// A user's long-term Ed25519 identity key. It signs prekeys and sender certificates; its X25519 form (see
/// <see cref="IdentityKeys"/>) takes part in PQXDH (DH1, DH2) and in sealed sender's static layer.
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    private readonly SecretBytes _seed;
    private readonly SecretBytes _agreementKey;
    private readonly byte[] _publicKey;
    private readonly byte[] _agreementPublicKey;

    private IdentityKeyPair(SecretBytes seed)
    {
        _seed = seed;
        _publicKey = Ed25519.PublicKey(seed);

        // RFC 8032 §5.1.5: the Ed25519 scalar is the clamped first half of SHA-512(seed); X25519 clamps the same way.
        Span<byte> expanded = stackalloc byte[Hashing.Sha512Length];
        try
        {
            Hashing.Sha512(seed.ReadOnlySpan, expanded);
            _agreementKey = SecretBytes.CopyFrom(expanded[..X25519.KeyLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }

        _agreementPublicKey = X25519.PublicKey(_agreementKey);
    }

    /// <summary>The 32-byte Ed25519 public key: the user's identity.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The X25519 form of the identity public key.</summary>
    public ReadOnlySpan<byte> AgreementPublicKey => _agreementPublicKey;

    /// <summary>The X25519 private scalar of the identity (owned by this object).</summary>
    internal SecretBytes AgreementKey => _agreementKey;

    /// <summary>A fresh identity from the system CSPRNG.</summary>
    public static IdentityKeyPair Generate() => new(Ed25519.GenerateSeed());

    /// <summary>Rebuilds an identity from its 32-byte seed; the seed stays the caller's.</summary>
    public static IdentityKeyPair FromSeed(SecretBytes seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, Ed25519.SeedLength, nameof(seed));
        return new IdentityKeyPair(seed.Clone());
    }

    /// <summary>A copy of the seed, for the caller to store (encrypted) and dispose.</summary>
    public SecretBytes ExportSeed() => _seed.Clone();

    /// <summary>Signs <paramref name="message"/> (callers pass domain-separated statements).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(_seed, _publicKey, message, signature);
        return signature;
    }

    /// <summary>X25519 between this identity and a peer's X25519 public key.</summary>
    /// <exception cref="CryptographicException">The peer key is low-order.</exception>
    internal SecretBytes Agree(ReadOnlySpan<byte> peerAgreementKey) => X25519.Agree(_agreementKey, peerAgreementKey);

    public void Dispose()
    {
        _seed.Dispose();
        _agreementKey.Dispose();
    }

    public override string ToString() => $"IdentityKeyPair({Convert.ToHexString(_publicKey.AsSpan(0, 8))}…)";
}
