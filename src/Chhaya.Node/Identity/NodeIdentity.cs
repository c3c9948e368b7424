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
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

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
            return new NodeIdentity(Read(path), created: false);
        }

        var seed = Ed25519.GenerateSeed();
        try
        {
            Write(path, seed);
        }
        catch
        {
            seed.Dispose();
            throw;
        }

        return new NodeIdentity(seed, created: true);
    }

    // Layout: the ASCII header, then the 32 raw seed bytes. Raw bytes, not hex, so the secret never
    // passes through an immutable string that could not be wiped.
    private static SecretBytes Read(string path)
    {
        var expectedLength = FileHeader.Length + Ed25519.SeedLength;
        var info = new FileInfo(path);
        if (info.Length != expectedLength)
        {
            throw new InvalidDataException($"{path} is {info.Length} bytes; a Chhaya identity file is exactly {expectedLength}. Restore it from backup or move it away to create a new identity.");
        }

        var content = File.ReadAllBytes(path);
        try
        {
            if (content.Length != expectedLength || !content.AsSpan(0, FileHeader.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(FileHeader)))
            {
                throw new InvalidDataException($"{path} is not a Chhaya identity file (missing the '{FileHeader.Trim()}' header).");
            }

            return SecretBytes.CopyFrom(content.AsSpan(FileHeader.Length));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(content);
        }
    }

    private static void Write(string path, SecretBytes seed)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(FileHeader));
        stream.Write(seed.ReadOnlySpan);
        stream.Flush(flushToDisk: true);
    }

    public void Dispose() => Seed.Dispose();
}
