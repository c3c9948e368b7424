// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Node.Messaging;

/// <summary>
/// A file sealed under the messaging storage key: <c>u8 format=1 ‖ salt (32) ‖ AES-256-GCM ciphertext ‖ tag (16)</c>,
/// the key and nonce derived by HKDF-n12 from <c>HKDF(storage key, salt, "chhaya/v1/node/sealed-file")</c> with a
/// fresh salt per write, the file's purpose as associated data (a file cannot be swapped for another). Written to a
/// temporary file (mode 0600), flushed, and renamed over the old one, so a crash leaves the old or the new file.
/// </summary>
public sealed class SealedStateFile(string path, string purpose, SecretBytes storageKey, int maxLength)
{
    private const byte Format = 1;
    private const int SaltLength = 32;
    private const string Label = "chhaya/v1/node/sealed-file";

    public string Path => path;

    /// <summary>The plaintext, or null when the file does not exist yet. The caller disposes it.</summary>
    /// <exception cref="InvalidDataException">The file is too long, malformed, or does not authenticate under this key.</exception>
    public SecretBytes? Read()
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var length = new FileInfo(path).Length;
        if (length > maxLength + 1 + SaltLength + MessageAead.TagLength || length < 1 + SaltLength + MessageAead.TagLength)
        {
            throw new InvalidDataException($"{path} is {length} bytes, which no sealed {purpose} file is. Move it away to start afresh (its content is lost).");
        }

        var sealedBytes = File.ReadAllBytes(path);
        if (sealedBytes[0] != Format)
        {
            throw new InvalidDataException($"{path} is not in a known sealed format.");
        }

        using var key = Kdf.DeriveLabeled(storageKey.ReadOnlySpan, sealedBytes.AsSpan(1, SaltLength), Label, default, MessageAead.KeyLength);
        var ciphertext = sealedBytes.AsSpan(1 + SaltLength);
        var plaintext = SecretBytes.Allocate(ciphertext.Length - MessageAead.TagLength);
        if (!MessageAead.TryOpen(key.ReadOnlySpan, ciphertext, Encoding.UTF8.GetBytes(purpose), plaintext.Span))
        {
            plaintext.Dispose();
            throw new InvalidDataException($"{path} does not authenticate under this node's messaging storage key (messaging-storage.key): it was tampered with, or the key file is not the one it was written with.");
        }

        return plaintext;
    }

    /// <summary>Seals and writes <paramref name="plaintext"/>, replacing the file atomically.</summary>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        Guard.MaxLength(plaintext.Length, maxLength, nameof(plaintext));
        var output = new byte[1 + SaltLength + plaintext.Length + MessageAead.TagLength];
        output[0] = Format;
        RandomNumberGenerator.Fill(output.AsSpan(1, SaltLength));
        var key = Kdf.DeriveLabeled(storageKey.ReadOnlySpan, output.AsSpan(1, SaltLength), Label, default, MessageAead.KeyLength);
        using (var messageKey = MessageKey.FromSecret(key))
        {
            messageKey.Seal(plaintext, Encoding.UTF8.GetBytes(purpose), output.AsSpan(1 + SaltLength));
        }

        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(output);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
