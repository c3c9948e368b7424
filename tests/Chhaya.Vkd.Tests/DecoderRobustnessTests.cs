// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using CsCheck;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// The fuzz seed corpora (fuzz/corpus/vkd-*) and random or mutated bytes go through the same decoders
/// the fuzz targets call: they only ever throw the documented exceptions, and accepted inputs re-encode
/// to themselves.
/// </summary>
public class DecoderRobustnessTests
{
    public static TheoryData<string> Targets => new() { "vkd-lookup-proof", "vkd-history-proof", "vkd-append-only-proof", "vkd-audit-blob", "vkd-signed-head" };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_and_their_mutations_only_raise_documented_exceptions(string target)
    {
        var dir = Path.Combine(RepoRoot(), "fuzz", "corpus", target);
        var seeds = Directory.GetFiles(dir).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(seeds);
        foreach (var seed in seeds)
        {
            Run(target, seed);
        }

        Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 3]).Sample(t =>
        {
            var seed = seeds[t.Item1];
            var bytes = (byte[])seed.Clone();
            if (bytes.Length > 0)
            {
                var at = t.Item2 % bytes.Length;
                switch (t.Item4)
                {
                    case 0: bytes[at] = t.Item3; break;
                    case 1: bytes = bytes[..at]; break;
                    case 2: bytes = [.. bytes[..at], t.Item3, .. bytes[at..]]; break;
                    default: bytes = [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + 1 + (t.Item3 % 8))..]]; break;
                }
            }

            Run(target, bytes);
        }, iter: 2000);

        Gen.Byte.Array[0, 300].Sample(bytes => Run(target, bytes), iter: 2000);
    }

    private static void Run(string target, byte[] input)
    {
        try
        {
            switch (target)
            {
                case "vkd-lookup-proof":
                    Assert.Equal(input, AkdProofCodec.Encode(AkdProofCodec.DecodeLookupProof(input)));
                    break;
                case "vkd-history-proof":
                    Assert.Equal(input, AkdProofCodec.Encode(AkdProofCodec.DecodeHistoryProof(input)));
                    break;
                case "vkd-append-only-proof":
                    Assert.Equal(input, AkdProofCodec.Encode(AkdProofCodec.DecodeAppendOnlyProof(input)));
                    break;
                case "vkd-audit-blob":
                    var inMemory = Verdict(() => AppendOnlyVerifier.VerifyStep(WhatsAppV1Configuration.Instance, AkdProofCodec.DecodeSingleAppendOnlyProof(input), default, default, 1));
                    var streamed = Verdict(() => StreamingAuditVerifier.Verify(WhatsAppV1Configuration.Instance, new MemoryStream(input), default, default, 1));
                    Assert.Equal(inMemory, streamed);
                    break;
                default:
                    Assert.Equal(input, SignedEpochHead.Decode(input).Encode());
                    break;
            }
        }
        catch (MalformedInputException)
        {
        }
    }

    private static string Verdict(Action action)
    {
        try
        {
            action();
            return "accepted";
        }
        catch (MalformedInputException)
        {
            return "malformed";
        }
        catch (VkdVerificationException)
        {
            return "rejected";
        }
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Chhaya.sln not found above the test directory.");
    }
}
