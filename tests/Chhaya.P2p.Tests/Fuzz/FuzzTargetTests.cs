// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using Chhaya.Fuzz.P2p;
using CsCheck;

namespace Chhaya.P2p.Tests.Fuzz;

/// <summary>
/// Runs each P2p fuzz target over its checked-in seed corpus, over mutations of the seeds and over random
/// bytes: a target throws only when it finds a defect (its decoders' documented exception is caught inside).
/// </summary>
public class FuzzTargetTests
{
    public static TheoryData<string> Targets() => ["p2p-multistream", "p2p-noise", "p2p-yamux", "p2p-protobuf"];

    private static IFuzzer Create(string name) => name switch
    {
        "p2p-multistream" => new MultistreamFuzzer(),
        "p2p-noise" => new NoiseFuzzer(),
        "p2p-yamux" => new YamuxFuzzer(),
        "p2p-protobuf" => new ProtobufFuzzer(),
        _ => throw new ArgumentException(name),
    };

    private static string[] Seeds(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        var corpus = Path.Combine(dir!.FullName, "fuzz", "corpus", name);
        return Directory.GetFiles(corpus);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seed_corpus_runs_clean(string name)
    {
        var target = Create(name);
        Assert.Equal(name, target.Name);
        var seeds = Seeds(name);
        Assert.True(seeds.Length >= 4, $"corpus for {name} is too small");
        foreach (var file in seeds)
        {
            target.FuzzTarget(File.ReadAllBytes(file));
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_seeds_and_random_bytes_run_clean(string name)
    {
        var target = Create(name);
        var seeds = Seeds(name).Select(File.ReadAllBytes).ToArray();
        var iterations = name == "p2p-yamux" ? 200 : 1000;
        Gen.Int[0, seeds.Length - 1].Select(Gen.Int[0, 1000].Array[0, 8], Gen.Byte.Array[0, 300])
            .Sample(
                (seedIndex, flips, random) =>
                {
                    var mutated = seeds[seedIndex].ToArray();
                    foreach (var f in flips)
                    {
                        if (mutated.Length > 0)
                        {
                            mutated[f % mutated.Length] ^= (byte)(f | 1);
                        }
                    }

                    target.FuzzTarget(mutated);
                    target.FuzzTarget(random);
                },
                iter: iterations);
    }
}
