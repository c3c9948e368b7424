// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz.Kad;
using Chhaya.P2p.Kad;
using CsCheck;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>Replays the kad-message fuzz corpus, its mutations and random bytes through the fuzz target.</summary>
public class KadFuzzTargetTests
{
    private static byte[][] Seeds()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return [.. Directory.GetFiles(Path.Combine(dir!.FullName, "fuzz", "corpus", "kad-message")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
    }

    [Fact]
    public void Seeds_decode_and_run_clean()
    {
        var target = new KadMessageFuzzer();
        Assert.Equal("kad-message", target.Name);
        var seeds = Seeds();
        Assert.True(seeds.Length >= 6);
        foreach (var s in seeds)
        {
            // Every seed is a valid message, so the corpus starts the fuzzer inside the format.
            _ = KadMessage.Decode(s);
            target.FuzzTarget(s);
        }
    }

    [Fact]
    public void Mutated_seeds_and_random_bytes_run_clean()
    {
        var target = new KadMessageFuzzer();
        var seeds = Seeds();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 1000].Array[0, 8], Gen.Byte.Array[0, 300]).Sample((i, flips, random) =>
        {
            var bytes = (byte[])seeds[i].Clone();
            foreach (var f in flips)
            {
                bytes[f % bytes.Length] ^= (byte)(1 << (f % 8));
            }

            target.FuzzTarget(bytes);
            target.FuzzTarget(random);
            target.FuzzTarget(bytes.AsSpan(0, bytes.Length * 2 / 3));
        }, iter: 2000);
    }
}
