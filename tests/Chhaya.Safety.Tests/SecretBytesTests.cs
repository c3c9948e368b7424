// SPDX-License-Identifier: AGPL-3.0-or-later

namespace Chhaya.Safety.Tests;

public class SecretBytesTests
{
    [Fact]
    public void Dispose_zeroes_the_buffer_and_blocks_access()
    {
        var secret = SecretBytes.CopyFrom([1, 2, 3, 4]);
        var view = secret.Span; // a view taken before disposal sees the wipe
        secret.Dispose();
        Assert.True(view.ToArray().All(b => b == 0));
        Assert.True(secret.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => secret.Span.Length);
        secret.Dispose(); // idempotent
    }

    [Fact]
    public void ToString_never_shows_the_content()
    {
        using var secret = SecretBytes.CopyFrom([0xde, 0xad, 0xbe, 0xef]);
        var text = secret.ToString();
        Assert.Equal("SecretBytes(4 bytes)", text);
        Assert.DoesNotContain("de", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TakeFrom_wipes_the_source()
    {
        byte[] source = [9, 9, 9];
        using var secret = SecretBytes.TakeFrom(source);
        Assert.Equal(new byte[3], source);
        Assert.Equal([9, 9, 9], secret.ReadOnlySpan.ToArray());
    }

    [Fact]
    public void Random_fills_from_the_rng()
    {
        using var a = SecretBytes.Random(32);
        using var b = SecretBytes.Random(32);
        Assert.False(a.FixedTimeEquals(b.ReadOnlySpan));
    }

    [Fact]
    public void Allocation_over_the_bound_is_refused_before_allocating()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBytes.Allocate(SecretBytes.MaxLength + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBytes.Allocate(-1));
    }

    [Fact]
    public void Clone_is_independent()
    {
        using var a = SecretBytes.CopyFrom([1, 2]);
        var b = a.Clone();
        b.Dispose();
        Assert.Equal([1, 2], a.ReadOnlySpan.ToArray());
    }
}
