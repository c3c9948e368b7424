// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using Chhaya.Fuzz.Crypto;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// Replays every crypto fuzz target's seed corpus, bit-flipped seeds and random inputs: the targets catch
/// only their decoders' documented exceptions, so any other exception fails here.
/// </summary>
public sealed class FuzzTargetTests
{
    public static TheoryData<string> Targets =>
    [
        .. typeof(IFuzzer).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Ed25519VerifyFuzzer).Namespace && typeof(IFuzzer).IsAssignableFrom(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        Assert.Equal(6, Targets.Count);
        foreach (var row in Targets)
        {
            var fuzzer = Create(row);
            Assert.NotEmpty(Directory.GetFiles(CorpusDirectory(fuzzer.Name)));
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_mutations_and_random_bytes_never_escape_the_documented_exceptions(string typeName)
    {
        var fuzzer = Create(typeName);
        var seeds = Directory.GetFiles(CorpusDirectory(fuzzer.Name)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var random = new Random(20260101);
        foreach (var seed in seeds)
        {
            fuzzer.FuzzTarget(seed);
            for (var i = 0; i < 8 && seed.Length > 0; i++)
            {
                var mutated = (byte[])seed.Clone();
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                fuzzer.FuzzTarget(mutated);
                fuzzer.FuzzTarget(mutated.AsSpan(0, random.Next(mutated.Length)));
            }
        }

        for (var i = 0; i < 100; i++)
        {
            var input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            fuzzer.FuzzTarget(input);
        }
    }

    private static IFuzzer Create(string typeName) => (IFuzzer)Activator.CreateInstance(typeof(IFuzzer).Assembly.GetType(typeName, throwOnError: true)!)!;

    private static string CorpusDirectory(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "fuzz", "corpus", name);
    }
}
