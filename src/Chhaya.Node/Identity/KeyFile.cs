// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Safety;

namespace Chhaya.Node.Identity;

/// <summary>
/// A secret key file in the data directory: an ASCII header line naming the key type, then the raw key
/// bytes. Created with mode 0600 and never overwritten; raw bytes rather than text so the secret never
/// passes through an immutable string that could not be wiped.
/// </summary>
internal static class KeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <exception cref="InvalidDataException">The file is not a key file of this type.</exception>
    public static SecretBytes Read(string path, string header, int keyLength)
    {
        var headerBytes = Encoding.ASCII.GetBytes(header);
        var expectedLength = headerBytes.Length + keyLength;
        var info = new FileInfo(path);
        if (info.Length != expectedLength)
        {
            throw new InvalidDataException($"{path} is {info.Length} bytes; a '{header.Trim()}' key file is exactly {expectedLength}. Restore it from backup, or move it away to create a new key.");
        }

        var content = File.ReadAllBytes(path);
        try
        {
            if (content.Length != expectedLength || !content.AsSpan(0, headerBytes.Length).SequenceEqual(headerBytes))
            {
                throw new InvalidDataException($"{path} is not a '{header.Trim()}' key file (its header does not match).");
            }

            return SecretBytes.CopyFrom(content.AsSpan(headerBytes.Length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>Creates the file; fails if it already exists, so a key is never silently replaced.</summary>
    public static void Create(string path, string header, ReadOnlySpan<byte> key)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(key);
        stream.Flush(flushToDisk: true);
    }
}
