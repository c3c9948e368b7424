// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Node.Identity;

/// <summary>
/// The node's long-term Ed25519 identity: created on first start, kept in the data directory with mode
/// 0600, and loaded on every later start. The seed stays in <see cref="SecretBytes"/>; only the public key
/// is ever shown.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    private const string FileHeader = "chhaya-identity-v1\n";

    private NodeIdentity(SecretBytes seed, bool created)
    {
        Seed = seed;
        PublicKey = Ed25519.PublicKey(seed);
        Created = created;
    }

    /// <summary>The Ed25519 seed (secret).</summary>
    public SecretBytes Seed { get; }

    /// <summary>The Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Whether this start created the identity.</summary>
    public bool Created { get; }

    /// <summary>The public key in lower-case hex, the form the API and CLI show.</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    /// <summary>Loads the identity from <paramref name="path"/>, creating it when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a Chhaya identity file.</exception>
    public static NodeIdentity LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return new NodeIdentity(KeyFile.Read(path, FileHeader, Ed25519.SeedLength), created: false);
        }

        var seed = Ed25519.GenerateSeed();
        try
        {
            KeyFile.Create(path, FileHeader, seed.ReadOnlySpan);
        }
        catch
        {
            seed.Dispose();
            throw;
        }

        return new NodeIdentity(seed, created: true);
    }

    public void Dispose() => Seed.Dispose();
}
