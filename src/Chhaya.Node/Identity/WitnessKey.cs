// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.Safety;

namespace Chhaya.Node.Identity;

/// <summary>
/// The node's BLS12-381 witness key, kept beside the identity key (mode 0600) and created on first use.
/// Quorum operators admit a witness by its public key and proof of possession, never by the secret.
/// </summary>
public static class WitnessKey
{
    private const string FileHeader = "chhaya-witness-bls-v1\n";

    /// <exception cref="InvalidDataException">The file exists but is not a witness key file.</exception>
    public static BlsSecretKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            using var stored = KeyFile.Read(path, FileHeader, BlsSecretKey.Length);
            try
            {
                return BlsSecretKey.FromBytes(stored.ReadOnlySpan);
            }
            catch (MalformedInputException e)
            {
                throw new InvalidDataException($"{path} does not hold a valid BLS secret key: {e.Message}", e);
            }
        }

        var key = BlsSecretKey.Generate();
        using var exported = SecretBytes.Allocate(BlsSecretKey.Length);
        key.ExportTo(exported.Span);
        KeyFile.Create(path, FileHeader, exported.ReadOnlySpan);
        return key;
    }
}
