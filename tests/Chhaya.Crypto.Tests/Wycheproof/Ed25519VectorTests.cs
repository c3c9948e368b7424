// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Crypto.Tests.Wycheproof;

public sealed class Ed25519VectorTests
{
    private const string File = "ed25519_test.json";

    [Fact]
    public void Every_case_gives_its_expected_result()
    {
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (group, test) in VectorFile.WycheproofCases(doc))
        {
            var pk = group.GetProperty("publicKey").Hex("pk");
            var verified = Ed25519.Verify(pk, test.Hex("msg"), test.Hex("sig"));
            log.Check(verified == (test.Str("result") == "valid"), File, test, $"verify returned {verified}");
        }

        log.AssertAllPassed(151);
    }
}
