// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Chhaya.Safety;

namespace Chhaya.Crypto.Tests;

/// <summary>ML-KEM-1024: NIST ACVP (FIPS 203 final) and the four Wycheproof ML-KEM-1024 files, every case.</summary>
public sealed class MlKemVectorTests
{
    [Fact]
    public void Acvp_keyGen_reproduces_ek_and_dk_from_d_and_z()
    {
        using var doc = VectorFile.Load("ml-kem-1024", "ML-KEM-keyGen-FIPS203.ML-KEM-1024.internalProjection.json");
        var count = 0;
        foreach (var test in doc.RootElement.GetProperty("testGroups")[0].GetProperty("tests").EnumerateArray())
        {
            using var seed = SecretBytes.CopyFrom([.. test.Hex("d"), .. test.Hex("z")]);
            using var pair = MlKem1024.FromSeed(seed);
            Assert.Equal(test.Hex("ek"), pair.EncapsulationKey.ToArray());
            Assert.Equal(test.Hex("dk"), pair.DecapsulationKey.ReadOnlySpan.ToArray());
            count++;
        }

        Assert.Equal(25, count);
    }

    [Fact]
    public void Acvp_encapDecap_every_group()
    {
        using var doc = VectorFile.Load("ml-kem-1024", "ML-KEM-encapDecap-FIPS203.ML-KEM-1024.internalProjection.json");
        var counts = new Dictionary<string, int>();
        foreach (var group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var function = group.Str("function");
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                counts[function] = counts.GetValueOrDefault(function) + 1;
                switch (function)
                {
                    case "encapsulation":
                    {
                        var ct = new byte[MlKem1024.CiphertextLength];
                        using var k = MlKem1024.EncapsulateDeterministic(test.Hex("ek"), test.Hex("m"), ct);
                        Assert.Equal(test.Hex("c"), ct);
                        Assert.Equal(test.Hex("k"), k.ReadOnlySpan.ToArray());
                        using var dk = SecretBytes.CopyFrom(test.Hex("dk"));
                        using var back = MlKem1024.Decapsulate(dk, ct);
                        Assert.True(back.FixedTimeEquals(k.ReadOnlySpan));
                        break;
                    }

                    case "decapsulation":
                    {
                        // "modified ciphertext" cases expect the implicit-rejection key J(z ‖ c).
                        using var dk = SecretBytes.CopyFrom(test.Hex("dk"));
                        using var k = MlKem1024.Decapsulate(dk, test.Hex("c"));
                        Assert.Equal(test.Hex("k"), k.ReadOnlySpan.ToArray());
                        break;
                    }

                    case "decapsulationKeyCheck":
                        Assert.Equal(test.GetProperty("testPassed").GetBoolean(), MlKem1024.IsValidDecapsulationKey(test.Hex("dk")));
                        break;

                    case "encapsulationKeyCheck":
                        Assert.Equal(test.GetProperty("testPassed").GetBoolean(), MlKem1024.IsValidEncapsulationKey(test.Hex("ek")));
                        break;

                    default:
                        Assert.Fail($"unknown ACVP function {function}");
                        break;
                }
            }
        }

        Assert.Equal(25, counts["encapsulation"]);
        Assert.Equal(10, counts["decapsulation"]);
        Assert.Equal(10, counts["decapsulationKeyCheck"]);
        Assert.Equal(10, counts["encapsulationKeyCheck"]);
    }

    [Fact]
    public void Wycheproof_mlkem_1024_test_keygen_and_decaps()
    {
        const string File = "mlkem_1024_test.json";
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            var outcome = Run(test);
            if (test.Str("result") == "valid")
            {
                log.Check(outcome == "ok", File, test, outcome);
            }
            else
            {
                log.Check(outcome == "refused", File, test, outcome);
            }
        }

        log.AssertAllPassed(193);

        static string Run(JsonElement test)
        {
            MlKem1024KeyPair pair;
            try
            {
                using var seed = SecretBytes.CopyFrom(test.Hex("seed"));
                pair = MlKem1024.FromSeed(seed);
            }
            catch (ArgumentException)
            {
                return "refused";
            }

            using (pair)
            {
                if (!pair.EncapsulationKey.SequenceEqual(test.Hex("ek")))
                {
                    return "ek differs";
                }

                try
                {
                    using var k = pair.Decapsulate(test.Hex("c"));
                    return k.ReadOnlySpan.SequenceEqual(test.Hex("K")) ? "ok" : "K differs";
                }
                catch (MalformedInputException)
                {
                    return "refused";
                }
            }
        }
    }

    [Fact]
    public void Wycheproof_mlkem_1024_encaps()
    {
        const string File = "mlkem_1024_encaps_test.json";
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            var ek = test.Hex("ek");
            string outcome;
            var ct = new byte[MlKem1024.CiphertextLength];
            try
            {
                using var k = MlKem1024.EncapsulateDeterministic(ek, test.Hex("m"), ct);
                outcome = ct.AsSpan().SequenceEqual(test.Hex("c")) && k.ReadOnlySpan.SequenceEqual(test.Hex("K")) ? "ok" : "output differs";
            }
            catch (MalformedInputException)
            {
                outcome = "refused";
            }

            var valid = test.Str("result") == "valid";
            log.Check(outcome == (valid ? "ok" : "refused"), File, test, outcome);
            log.Check(MlKem1024.IsValidEncapsulationKey(ek) == valid, File, test, "IsValidEncapsulationKey disagrees");
        }

        log.AssertAllPassed(2 * 269);
    }

    [Fact]
    public void Wycheproof_mlkem_1024_keygen_seed()
    {
        const string File = "mlkem_1024_keygen_seed_test.json";
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            using var seed = SecretBytes.CopyFrom(test.Hex("seed"));
            using var pair = MlKem1024.FromSeed(seed);
            log.Check(
                pair.EncapsulationKey.SequenceEqual(test.Hex("ek")) && pair.DecapsulationKey.ReadOnlySpan.SequenceEqual(test.Hex("dk")),
                File, test, "key pair differs");
        }

        log.AssertAllPassed(100);
    }

    [Fact]
    public void Wycheproof_mlkem_1024_semi_expanded_decaps()
    {
        const string File = "mlkem_1024_semi_expanded_decaps_test.json";
        using var doc = VectorFile.Load("wycheproof", File);
        var log = new CaseLog();
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            string outcome;
            try
            {
                using var dk = SecretBytes.CopyFrom(test.Hex("dk"));
                using var k = MlKem1024.Decapsulate(dk, test.Hex("c"));
                outcome = k.ReadOnlySpan.SequenceEqual(test.Hex("K")) ? "ok" : "K differs";
            }
            catch (ArgumentException)
            {
                outcome = "refused";
            }
            catch (MalformedInputException)
            {
                outcome = "refused";
            }

            log.Check(outcome == (test.Str("result") == "valid" ? "ok" : "refused"), File, test, outcome);
        }

        log.AssertAllPassed(9);
    }
}
