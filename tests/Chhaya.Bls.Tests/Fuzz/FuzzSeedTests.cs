// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using Chhaya.Fuzz.Bls;
using CsCheck;

namespace Chhaya.Bls.Tests.Fuzz;

/// <summary>
/// Runs each fuzz target over its checked-in seed corpus, over bit-flipped seeds and over random bytes,
/// the same way the fuzzer does: any exception other than the documented rejection fails the test.
/// </summary>
public class FuzzSeedTests
{
    public static TheoryData<string> Targets() => ["bls-g1-point", "bls-g2-point", "quorum-certificate"];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_and_their_mutations_never_crash_the_target(string name)
    {
        var target = Create(name);
        var seeds = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "fuzz", "corpus", name)).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(seeds);
        var rng = new Random(7);
        foreach (var seed in seeds)
        {
            target.FuzzTarget(seed);
            for (var i = 0; i < 8 && seed.Length > 0; i++)
            {
                var mutated = (byte[])seed.Clone();
                mutated[rng.Next(mutated.Length)] ^= (byte)(1 << rng.Next(8));
                target.FuzzTarget(mutated);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Random_inputs_never_crash_the_target(string name)
    {
        var target = Create(name);
        Gen.OneOf(Gen.Byte.Array[0, 200], Gen.Byte.Array[48], Gen.Byte.Array[96], Gen.Byte.Array[192])
            .Sample(bytes => target.FuzzTarget(bytes), iter: 60);
    }

    private static IFuzzer Create(string name) => name switch
    {
        "bls-g1-point" => new BlsG1PointFuzzer(),
        "bls-g2-point" => new BlsG2PointFuzzer(),
        _ => new QuorumCertificateFuzzer(),
    };

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Chhaya.sln not found above the test assembly.");
    }
}
