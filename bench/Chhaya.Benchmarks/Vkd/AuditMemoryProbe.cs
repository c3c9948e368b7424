// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Wire;

namespace Chhaya.Benchmarks.Vkd;

/// <summary>
/// Peak-memory probe for audit verification, run as separate processes under <c>/usr/bin/time -v</c> so the
/// maximum resident set of the verifier alone is measured (BenchmarkDotNet reports allocation, not peak RSS):
/// <code>
/// dotnet Chhaya.Benchmarks.dll audit-memory make 1000000 100000 /tmp/step.pb   # writes proof + roots
/// /usr/bin/time -v dotnet Chhaya.Benchmarks.dll audit-memory stream /tmp/step.pb
/// /usr/bin/time -v dotnet Chhaya.Benchmarks.dll audit-memory memory /tmp/step.pb
/// </code>
/// </summary>
internal static class AuditMemoryProbe
{
    public static int Run(string[] args)
    {
        var config = WhatsAppV1Configuration.Instance;
        switch (args)
        {
            case ["make", var leaves, var inserted, var path]:
                var random = new Random(2);
                var tree = new VkdTree(config);
                tree.Insert(VkdBenchData.Leaves(random, int.Parse(leaves, System.Globalization.CultureInfo.InvariantCulture)), 1);
                var start = tree.Root;
                var end = tree.Insert(VkdBenchData.Leaves(random, int.Parse(inserted, System.Globalization.CultureInfo.InvariantCulture)), 2);
                File.WriteAllBytes(path, AkdProofCodec.Encode(tree.AppendOnlyStep(1, 2)));
                File.WriteAllBytes(path + ".roots", [.. start.ToArray(), .. end.ToArray()]);
                Console.WriteLine($"wrote {new FileInfo(path).Length} bytes");
                return 0;
            case ["stream", var path]:
                var (s, e) = Roots(path);
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                {
                    var result = StreamingAuditVerifier.Verify(config, file, s, e, 2);
                    Console.WriteLine($"streaming: ok, {result.Inserted} inserted, {result.Unchanged} unchanged, {result.Runs} runs");
                }

                return 0;
            case ["memory", var path]:
                var (s2, e2) = Roots(path);
                AppendOnlyVerifier.VerifyStep(config, AkdProofCodec.DecodeSingleAppendOnlyProof(File.ReadAllBytes(path)), s2, e2, 2);
                Console.WriteLine("in memory: ok");
                return 0;
            default:
                Console.Error.WriteLine("usage: audit-memory make LEAVES INSERTED FILE | stream FILE | memory FILE");
                return 2;
        }
    }

    private static (Digest Start, Digest End) Roots(string path)
    {
        var roots = File.ReadAllBytes(path + ".roots");
        return (new Digest(roots.AsSpan(0, Digest.Length)), new Digest(roots.AsSpan(Digest.Length, Digest.Length)));
    }
}
