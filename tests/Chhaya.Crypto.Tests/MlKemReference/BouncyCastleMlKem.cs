// SPDX-License-Identifier: AGPL-3.0-or-later
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Chhaya.Crypto.Tests.MlKemReference;

/// <summary>
/// BouncyCastle 2.7.0's ML-KEM-1024, the independent implementation Chhaya's own code is compared with byte for
/// byte (it was Chhaya's implementation before; it stays only here, as a test reference).
/// </summary>
internal static class BouncyCastleMlKem
{
    private static MLKemParameters Parameters => MLKemParameters.ml_kem_1024;

    public static (byte[] EncapsulationKey, byte[] DecapsulationKey) KeyGen(byte[] seed)
    {
        var privateKey = MLKemPrivateKeyParameters.FromSeed(Parameters, seed);
        return (privateKey.GetPublicKeyEncoded(), privateKey.GetEncoded());
    }

    public static (byte[] Ciphertext, byte[] SharedSecret) Encapsulate(byte[] encapsulationKey, byte[] m)
    {
        var publicKey = MLKemPublicKeyParameters.FromEncoding(Parameters, encapsulationKey);
        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(new ParametersWithRandom(publicKey, new SecureRandom(new FixedRandomGenerator(m))));
        var ciphertext = new byte[1568];
        var secret = new byte[32];
        encapsulator.Encapsulate(ciphertext, secret);
        return (ciphertext, secret);
    }

    public static byte[] Decapsulate(byte[] decapsulationKey, byte[] ciphertext)
    {
        var privateKey = MLKemPrivateKeyParameters.FromEncoding(Parameters, decapsulationKey);
        var decapsulator = new MLKemDecapsulator(Parameters);
        decapsulator.Init(privateKey);
        var secret = new byte[32];
        decapsulator.Decapsulate(ciphertext, secret);
        return secret;
    }
}
