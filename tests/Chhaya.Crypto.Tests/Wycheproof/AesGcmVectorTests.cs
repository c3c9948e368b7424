// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Crypto.Tests.Wycheproof;

/// <summary>
/// Wycheproof aes_gcm_test.json through the same AES-GCM core the HKDF-n12 and record-stream AEADs use.
/// </summary>
public sealed class AesGcmVectorTests
{
    private const string File = "aes_gcm_test.json";

    [Fact]
    public void Every_case_gives_its_expected_result()
    {
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        var unsupportedIv = 0;
        foreach (var (group, test) in VectorFile.WycheproofCases(doc))
        {
            var key = test.Hex("key");
            var iv = test.Hex("iv");
            var aad = test.Hex("aad");
            var msg = test.Hex("msg");
            var ct = test.Hex("ct");
            var tag = test.Hex("tag");
            var result = test.Str("result");
            byte[] sealedInput = [.. ct, .. tag];
            var opened = new byte[ct.Length];

            if (iv.Length != AesGcmCore.NonceLength)
            {
                // Our core accepts 96-bit nonces only (HKDF-n12 and the record stream always make 12 bytes):
                // every other IV size must be refused, whatever Wycheproof's verdict.
                unsupportedIv++;
                var threw = Assert.ThrowsAny<ArgumentException>(() => AesGcmCore.Encrypt(key, iv, msg, aad, new byte[msg.Length + 16]));
                log.Check(threw is not null && !AesGcmCore.TryDecrypt(key, iv, sealedInput, aad, opened), File, test, "non-96-bit IV was not refused");
                continue;
            }

            var decrypted = AesGcmCore.TryDecrypt(key, iv, sealedInput, aad, opened);
            if (result == "valid")
            {
                var encrypted = new byte[msg.Length + 16];
                AesGcmCore.Encrypt(key, iv, msg, aad, encrypted);
                log.Check(decrypted && opened.AsSpan().SequenceEqual(msg) && encrypted.AsSpan().SequenceEqual(sealedInput), File, test, "valid case failed");
            }
            else
            {
                log.Check(!decrypted && opened.AsSpan().IndexOfAnyExcept((byte)0) < 0, File, test, "invalid case was accepted or left plaintext behind");
            }

            _ = group;
        }

        log.AssertAllPassed(316);
        Assert.True(unsupportedIv > 0);
    }
}
