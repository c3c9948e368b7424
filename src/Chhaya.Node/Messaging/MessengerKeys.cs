// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Node.Identity;
using Chhaya.Safety;

namespace Chhaya.Node.Messaging;

/// <summary>
/// The messaging user's long-term secrets, each in its own 0600 file in the data directory: the Ed25519 identity
/// (<c>messaging-identity.key</c>, the key the directory binds to the handle) and the 32-byte storage key
/// (<c>messaging-storage.key</c>) that seals ratchet states and the messenger state at rest. Both are created on
/// first start. The storage key is not in the database, so a stolen database alone opens nothing.
/// </summary>
public sealed class MessengerKeys : IDisposable
{
    private const string IdentityHeader = "chhaya-messaging-identity-v1\n";
    private const string StorageHeader = "chhaya-messaging-storage-v1\n";

    private MessengerKeys(IdentityKeyPair identity, SecretBytes storageKey)
    {
        Identity = identity;
        StorageKey = storageKey;
    }

    public IdentityKeyPair Identity { get; }

    public SecretBytes StorageKey { get; }

    public static string IdentityFile(string dataDirectory) => Path.Combine(dataDirectory, "messaging-identity.key");

    public static string StorageFile(string dataDirectory) => Path.Combine(dataDirectory, "messaging-storage.key");

    /// <exception cref="InvalidDataException">A key file exists but is not what it should be.</exception>
    public static MessengerKeys LoadOrCreate(string dataDirectory)
    {
        using var seed = LoadOrCreate(IdentityFile(dataDirectory), IdentityHeader, Ed25519.SeedLength);
        var storage = LoadOrCreate(StorageFile(dataDirectory), StorageHeader, 32);
        return new MessengerKeys(IdentityKeyPair.FromSeed(seed), storage);
    }

    public void Dispose()
    {
        Identity.Dispose();
        StorageKey.Dispose();
    }

    private static SecretBytes LoadOrCreate(string path, string header, int length)
    {
        if (File.Exists(path))
        {
            return KeyFile.Read(path, header, length);
        }

        var key = SecretBytes.Random(length);
        KeyFile.Create(path, header, key.ReadOnlySpan);
        return key;
    }
}
