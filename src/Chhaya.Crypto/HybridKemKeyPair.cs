// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// A hybrid KEM secret key expanded once (ML-KEM-1024 key pair and X25519 private key) with its 1600-byte
/// public key, for a receiver that decapsulates many ciphertexts. See <see cref="HybridKem"/> for the format.
/// </summary>
public sealed class HybridKemKeyPair : IDisposable
{
    private readonly MlKem1024KeyPair _mlKem;
    private readonly SecretBytes _x25519;
    private readonly byte[] _publicKey;

    private HybridKemKeyPair(MlKem1024KeyPair mlKem, SecretBytes x25519)
    {
        _mlKem = mlKem;
        _x25519 = x25519;
        _publicKey = new byte[HybridKem.PublicKeyLength];
        mlKem.EncapsulationKey.CopyTo(_publicKey);
        X25519.PublicKey(x25519, _publicKey.AsSpan(MlKem1024.EncapsulationKeyLength));
    }

    /// <summary>The 1600-byte public key pk_M ‖ pk_X.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Expands a 32-byte hybrid secret key. The caller keeps ownership of <paramref name="secretKey"/>.</summary>
    public static HybridKemKeyPair FromSecretKey(SecretBytes secretKey)
    {
        using var expanded = HybridKem.Expand(secretKey, out var mlKem, out var x25519);
        return new HybridKemKeyPair(mlKem, x25519);
    }

    /// <summary>Decapsulates a 1600-byte ciphertext.</summary>
    /// <exception cref="MalformedInputException">The ciphertext has the wrong length or its X25519 share has low order.</exception>
    public SecretBytes Decapsulate(ReadOnlySpan<byte> ciphertext) =>
        HybridKem.Decapsulate(_mlKem, _x25519, _publicKey.AsSpan(MlKem1024.EncapsulationKeyLength), ciphertext);

    /// <summary>Wipes the expanded secret keys.</summary>
    public void Dispose()
    {
        _mlKem.Dispose();
        _x25519.Dispose();
    }
}
