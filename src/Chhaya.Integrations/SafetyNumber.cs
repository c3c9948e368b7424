// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Crypto;

namespace Chhaya.Integrations;

/// <summary>
/// A 60-digit number two users compare out of band (read aloud, or as a QR code) to confirm they hold each
/// other's real identity keys. Shaped like Signal's numeric fingerprint: each key gets a 30-digit half from
/// iterated SHA-512, and the two halves are concatenated in byte order of the keys, so both users see the
/// same number whatever the order of the arguments.
/// <code>
/// h_0     = SHA-512(u16be version=0 ‖ "chhaya-safety-number" ‖ key)
/// h_{i+1} = SHA-512(h_i ‖ key)                  for i &lt; 5200
/// half    = for each of the first six 5-byte chunks c of h_5200: (u40be(c) mod 100000) as 5 digits
/// number  = half(lower key) ‖ half(higher key)     (keys ordered as unsigned byte strings)
/// </code>
/// The 5200 iterations make it costly to grind for a second key whose half matches in many digits.
/// Unlike Signal, there is no stable identifier in the hash: a Chhaya handle is bound to the key by the
/// quorum-certified directory, which the resolver checks separately.
/// </summary>
public static class SafetyNumber
{
    public const int Iterations = 5200;

    public const int Digits = 60;

    private static readonly byte[] Domain = "chhaya-safety-number"u8.ToArray();

    /// <summary>The safety number of two Ed25519 identity keys.</summary>
    public static string Compute(ReadOnlySpan<byte> localIdentity, ReadOnlySpan<byte> remoteIdentity)
    {
        if (localIdentity.Length != Ed25519.PublicKeyLength || remoteIdentity.Length != Ed25519.PublicKeyLength)
        {
            throw new ArgumentException($"Identity keys are {Ed25519.PublicKeyLength} bytes.");
        }

        var local = Half(localIdentity);
        var remote = Half(remoteIdentity);
        return localIdentity.SequenceCompareTo(remoteIdentity) <= 0 ? local + remote : remote + local;
    }

    /// <summary>The number split into twelve groups of five digits, as shown to users.</summary>
    public static string Format(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return string.Join(' ', Enumerable.Range(0, number.Length / 5).Select(i => number.Substring(i * 5, 5)));
    }

    private static string Half(ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[SHA512.HashSizeInBytes + Ed25519.PublicKeyLength + 2 + 20];
        var first = buffer[..(2 + Domain.Length + key.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(first, 0);
        Domain.CopyTo(first[2..]);
        key.CopyTo(first[(2 + Domain.Length)..]);
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(first, hash);

        var next = buffer[..(SHA512.HashSizeInBytes + key.Length)];
        key.CopyTo(next[SHA512.HashSizeInBytes..]);
        for (var i = 0; i < Iterations; i++)
        {
            hash.CopyTo(next);
            SHA512.HashData(next, hash);
        }

        Span<char> digits = stackalloc char[30];
        for (var chunk = 0; chunk < 6; chunk++)
        {
            var c = hash.Slice(chunk * 5, 5);
            var value = ((ulong)c[0] << 32) | ((ulong)c[1] << 24) | ((ulong)c[2] << 16) | ((ulong)c[3] << 8) | c[4];
            var five = value % 100000;
            for (var d = 4; d >= 0; d--)
            {
                digits[(chunk * 5) + d] = (char)('0' + (int)(five % 10));
                five /= 10;
            }
        }

        return new string(digits);
    }
}
