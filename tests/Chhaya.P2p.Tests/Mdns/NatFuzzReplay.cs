// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using CsCheck;

namespace Chhaya.P2p.Tests.Mdns;

/// <summary>Feeds a fuzz target its checked-in seeds, mutations of them and random bytes.</summary>
internal static class NatFuzzReplay
{
    public static byte[][] Seeds(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var files = Directory.GetFiles(Path.Combine(dir.FullName, "fuzz", "corpus", name));
        Assert.True(files.Length >= 4, $"corpus for {name} is too small");
        return [.. files.Select(File.ReadAllBytes)];
    }

    public static void Run(IFuzzer target, string name, int iterations = 1000)
    {
        Assert.Equal(name, target.Name);
        var seeds = Seeds(name);
        foreach (var seed in seeds)
        {
            target.FuzzTarget(seed);
        }

        Gen.Int[0, seeds.Length - 1].Select(Gen.Int[0, 100_000].Array[0, 8], Gen.Byte.Array[0, 300])
            .Sample(
                (seedIndex, flips, random) =>
                {
                    var mutated = seeds[seedIndex].ToArray();
                    foreach (var f in flips)
                    {
                        if (mutated.Length > 0)
                        {
                            mutated[f % mutated.Length] ^= (byte)((f >> 8) | 1);
                        }
                    }

                    target.FuzzTarget(mutated);
                    target.FuzzTarget(random);
                },
                iter: iterations);
    }
}
