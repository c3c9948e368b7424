// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Crypto.Tests.Wycheproof;

public sealed class HkdfVectorTests
{
    private const string File = "hkdf_sha256_test.json";

    [Fact]
    public void Every_case_gives_its_expected_result()
    {
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            var size = test.GetProperty("size").GetInt32();
            var ikm = test.Hex("ikm");
            var salt = test.Hex("salt");
            var info = test.Hex("info");
            if (test.Str("result") == "valid")
            {
                var okm = new byte[size];
                Kdf.DeriveKey(ikm, salt, info, okm);
                log.Check(okm.AsSpan().SequenceEqual(test.Hex("okm")), File, test, "okm differs");
            }
            else
            {
                var refused = false;
                try
                {
                    Kdf.DeriveKey(ikm, salt, info, new byte[size]);
                }
                catch (ArgumentException)
                {
                    refused = true;
                }

                log.Check(refused, File, test, "over-long output was not refused");
            }
        }

        log.AssertAllPassed(86);
    }
}
