// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;

namespace Chhaya.Safety;

/// <summary>
/// Owns secret key material: a pinned buffer that is zeroed on <see cref="Dispose"/>, never printed,
/// and compared only in constant time.
/// </summary>
/// <remarks>
/// The buffer is allocated on the pinned object heap so the garbage collector never moves it and
/// leaves stale copies of the secret behind. Callers that copy bytes out of <see cref="Span"/>
/// own those copies and must wipe them (see <see cref="CryptographicOperations.ZeroMemory"/>).
/// </remarks>
public sealed class SecretBytes : IDisposable
{
    /// <summary>The largest secret this type will hold; larger requests are refused before allocating.</summary>
    public const int MaxLength = 1 << 20;

    private readonly byte[] _buffer;
    private int _disposed;

    private SecretBytes(int length)
    {
        Guard.InRange(length, 0, MaxLength, nameof(length));
        _buffer = GC.AllocateArray<byte>(length, pinned: true);
    }

    /// <summary>Number of secret bytes held.</summary>
    public int Length => _buffer.Length;

    /// <summary>Whether <see cref="Dispose"/> has run and the content is gone.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The secret content, writable so callers can fill it in place.</summary>
    /// <exception cref="ObjectDisposedException">The secret was already wiped.</exception>
    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _buffer;
        }
    }

    /// <summary>The secret content, read-only.</summary>
    /// <exception cref="ObjectDisposedException">The secret was already wiped.</exception>
    public ReadOnlySpan<byte> ReadOnlySpan => Span;

    /// <summary>Allocates a zero-filled secret of <paramref name="length"/> bytes.</summary>
    public static SecretBytes Allocate(int length) => new(length);

    /// <summary>Copies <paramref name="source"/> into a new secret. The caller still owns and must wipe the source.</summary>
    public static SecretBytes CopyFrom(ReadOnlySpan<byte> source)
    {
        var secret = new SecretBytes(source.Length);
        source.CopyTo(secret._buffer);
        return secret;
    }

    /// <summary>Fills a new secret of <paramref name="length"/> bytes from the system CSPRNG.</summary>
    public static SecretBytes Random(int length)
    {
        var secret = new SecretBytes(length);
        RandomNumberGenerator.Fill(secret._buffer);
        return secret;
    }

    /// <summary>Copies <paramref name="source"/> into a new secret and wipes <paramref name="source"/>.</summary>
    public static SecretBytes TakeFrom(Span<byte> source)
    {
        var secret = CopyFrom(source);
        CryptographicOperations.ZeroMemory(source);
        return secret;
    }

    /// <summary>A new secret with the same content; both must be disposed.</summary>
    public SecretBytes Clone() => CopyFrom(ReadOnlySpan);

    /// <summary>Compares the content with <paramref name="other"/> in time that depends only on the lengths.</summary>
    public bool FixedTimeEquals(ReadOnlySpan<byte> other) => ConstantTime.Equals(ReadOnlySpan, other);

    /// <summary>Never reveals the content.</summary>
    public override string ToString() => IsDisposed ? "SecretBytes(disposed)" : $"SecretBytes({_buffer.Length} bytes)";

    /// <summary>Zeroes the content. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_buffer);
        }
    }
}
