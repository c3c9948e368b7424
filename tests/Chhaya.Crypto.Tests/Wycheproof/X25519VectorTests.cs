// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.Crypto.Tests.Wycheproof;

/// <summary>
/// Wycheproof x25519_test.json. Pinned behaviour for "acceptable" cases: twist points and non-canonical
/// u-coordinates are computed (RFC 7748 §5) and must give the listed secret; every case whose secret is
/// all zero (low-order public keys) is refused.
/// </summary>
public sealed class X25519VectorTests
{
    private const string File = "x25519_test.json";

    [Fact]
    public void Every_case_gives_its_expected_result()
    {
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        var refusedCount = 0;
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            using var priv = SecretBytes.CopyFrom(test.Hex("private"));
            var expected = test.Hex("shared");
            var zeroSecret = expected.AsSpan().IndexOfAnyExcept((byte)0) < 0;
            var shared = new byte[32];
            var ok = X25519.TryAgree(priv, test.Hex("public"), shared);
            if (zeroSecret)
            {
                refusedCount++;
                log.Check(!ok && shared.AsSpan().IndexOfAnyExcept((byte)0) < 0, File, test, "all-zero shared secret was not refused");
            }
            else
            {
                log.Check(ok && shared.AsSpan().SequenceEqual(expected), File, test, "shared secret differs");
            }
        }

        log.AssertAllPassed(518);
        Assert.True(refusedCount >= 31, $"expected at least the 31 ZeroSharedSecret cases to be refused, saw {refusedCount}");
    }
}
