// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>An ML-KEM-1024 key pair: the public encapsulation key, the expanded secret key and its 64-byte seed.</summary>
public sealed class MlKem1024KeyPair : IDisposable
{
    private readonly byte[] _encapsulationKey;

    internal MlKem1024KeyPair(byte[] encapsulationKey, SecretBytes decapsulationKey, SecretBytes seed)
    {
        _encapsulationKey = encapsulationKey;
        DecapsulationKey = decapsulationKey;
        Seed = seed;
    }

    /// <summary>The 1568-byte public encapsulation key.</summary>
    public ReadOnlySpan<byte> EncapsulationKey => _encapsulationKey;

    /// <summary>The 3168-byte expanded decapsulation key (FIPS 203 format).</summary>
    public SecretBytes DecapsulationKey { get; }

    /// <summary>The 64-byte seed d ‖ z; storing it alone is enough to rebuild the pair.</summary>
    public SecretBytes Seed { get; }

    /// <summary>Decapsulates with this pair's key.</summary>
    public SecretBytes Decapsulate(ReadOnlySpan<byte> ciphertext) => MlKem1024.Decapsulate(DecapsulationKey, ciphertext);

    /// <summary>Wipes the secret key and seed.</summary>
    public void Dispose()
    {
        DecapsulationKey.Dispose();
        Seed.Dispose();
    }
}
