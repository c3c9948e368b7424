// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Integrations.Tests;

public sealed class SafetyNumberTests
{
    [Fact]
    public void Both_sides_see_the_same_sixty_digits()
    {
        var alice = ResolverHarness.NewBinding().IdentityKey.ToArray();
        var bob = ResolverHarness.NewBinding().IdentityKey.ToArray();

        var number = SafetyNumber.Compute(alice, bob);

        Assert.Equal(number, SafetyNumber.Compute(bob, alice));
        Assert.Equal(SafetyNumber.Digits, number.Length);
        Assert.All(number, c => Assert.InRange(c, '0', '9'));
        Assert.Equal(71, SafetyNumber.Format(number).Length);
    }

    [Fact]
    public void A_different_key_gives_a_different_number()
    {
        var alice = ResolverHarness.NewBinding().IdentityKey.ToArray();
        var bob = ResolverHarness.NewBinding().IdentityKey.ToArray();
        var mallory = ResolverHarness.NewBinding().IdentityKey.ToArray();

        var real = SafetyNumber.Compute(alice, bob);
        var fake = SafetyNumber.Compute(alice, mallory);

        Assert.NotEqual(real, fake);
        // Alice's half is the same in both; the remote half is what changes.
        Assert.True(real.Contains(fake.Substring(alice.AsSpan().SequenceCompareTo(mallory) <= 0 ? 0 : 30, 30), StringComparison.Ordinal));
    }

    [Fact]
    public void The_number_matches_an_independent_computation()
    {
        // Expected value computed with Python's hashlib from the algorithm as documented in SafetyNumber.
        var a = Enumerable.Repeat((byte)1, 32).ToArray();
        var b = Enumerable.Repeat((byte)2, 32).ToArray();
        Assert.Equal("246636649438485832545978464282022182999609454534578712358563", SafetyNumber.Compute(b, a));
        Assert.StartsWith(SafetyNumber.Compute(a, a)[..30], SafetyNumber.Compute(a, b), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SafetyNumber.Compute(a.AsSpan(1), b));
    }
}
