// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto;
using Chhaya.Node.Identity;
using Chhaya.Safety;
using Chhaya.Vkd.Core;

namespace Chhaya.Node.Producer;

/// <summary>
/// The secrets of a directory this node runs, each in its own key file in the data directory: the Ed25519
/// seed that signs epoch heads, the ECVRF key that places labels, and the key for value commitments.
/// </summary>
public sealed class DirectoryKeys : IDisposable
{
    private const string HeadHeader = "chhaya-directory-head-ed25519-v1\n";
    private const string VrfHeader = "chhaya-directory-vrf-v1\n";
    private const string CommitmentHeader = "chhaya-directory-commitment-v1\n";

    private DirectoryKeys(SecretBytes head, SecretBytes vrf, SecretBytes commitment)
    {
        HeadSeed = head;
        VrfKey = vrf;
        CommitmentKey = commitment;
        HeadPublicKey = Ed25519.PublicKey(head);
        VrfPublicKey = EcVrf.PublicKey(vrf);
        DirectoryId = DeriveId(HeadPublicKey);
    }

    public SecretBytes HeadSeed { get; }

    public SecretBytes VrfKey { get; }

    public SecretBytes CommitmentKey { get; }

    public byte[] HeadPublicKey { get; }

    public byte[] VrfPublicKey { get; }

    /// <summary>SHA-256 of a domain tag and the head key: a directory is named by the key that speaks for it.</summary>
    public Digest DirectoryId { get; }

    public static DirectoryKeys LoadOrCreate(string dataDirectory)
    {
        return new DirectoryKeys(
            Load(Path.Combine(dataDirectory, "directory-head.key"), HeadHeader),
            Load(Path.Combine(dataDirectory, "directory-vrf.key"), VrfHeader),
            Load(Path.Combine(dataDirectory, "directory-commitment.key"), CommitmentHeader));
    }

    public static Digest DeriveId(ReadOnlySpan<byte> headPublicKey)
    {
        Span<byte> input = stackalloc byte[64];
        var tag = "chhaya/v1/directory-id\0"u8;
        tag.CopyTo(input);
        headPublicKey.CopyTo(input[tag.Length..]);
        return new Digest(SHA256.HashData(input[..(tag.Length + headPublicKey.Length)]));
    }

    public void Dispose()
    {
        HeadSeed.Dispose();
        VrfKey.Dispose();
        CommitmentKey.Dispose();
    }

    private static SecretBytes Load(string path, string header)
    {
        if (!File.Exists(path))
        {
            using var fresh = SecretBytes.Random(32);
            KeyFile.Create(path, header, fresh.ReadOnlySpan);
        }

        return KeyFile.Read(path, header, 32);
    }
}
