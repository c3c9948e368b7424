// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz.Pubsub;
using Chhaya.P2p.Pubsub;
using CsCheck;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>Replays the <c>pubsub-rpc</c> seed corpus, mutations of it and random bytes through the fuzz target.</summary>
public class PubsubFuzzTargetTests
{
    private static byte[][] Seeds()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return [.. Directory.GetFiles(Path.Combine(dir!.FullName, "fuzz", "corpus", "pubsub-rpc")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    }

    [Fact]
    public void Seed_corpus_decodes_and_runs_clean()
    {
        var target = new GossipsubRpcFuzzer();
        Assert.Equal("pubsub-rpc", target.Name);
        var seeds = Seeds();
        Assert.True(seeds.Length >= 5);
        var decoded = 0;
        foreach (var s in seeds)
        {
            target.FuzzTarget(s);
            _ = RpcCodec.Decode(s);
            decoded++;
        }

        // Every seed is a valid RPC, so the mutations below start from deep inside the decoder.
        Assert.Equal(seeds.Length, decoded);
    }

    [Fact]
    public void Mutated_seeds_and_random_bytes_run_clean()
    {
        var target = new GossipsubRpcFuzzer();
        var seeds = Seeds().Where(s => s.Length > 0).ToArray();
        Gen.Int[0, seeds.Length - 1].Select(Gen.Int[0, 1000].Array[0, 8], Gen.Byte.Array[0, 300])
            .Sample(
                (seedIndex, flips, random) =>
                {
                    var mutated = seeds[seedIndex].ToArray();
                    foreach (var f in flips)
                    {
                        mutated[f % mutated.Length] ^= (byte)(f | 1);
                    }

                    target.FuzzTarget(mutated);
                    target.FuzzTarget(random);
                },
                iter: 2000);
    }
}
