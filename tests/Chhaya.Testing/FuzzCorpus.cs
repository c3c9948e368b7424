// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Testing;

/// <summary>
/// Replays a fuzz target's seed corpus (fuzz/corpus/NAME), bit-flipped and truncated seeds, and random
/// bytes through a decoder: whatever the decoder does not document as its refusal escapes and fails the test.
/// </summary>
public static class FuzzCorpus
{
    public static void Replay(string name, Action<byte[]> target, int randomInputs = 200)
    {
        ArgumentNullException.ThrowIfNull(target);
        var seeds = Directory.GetFiles(DirectoryOf(name)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (seeds.Count == 0)
        {
            throw new InvalidOperationException($"The fuzz corpus {name} has no seeds.");
        }

        var random = new Random(20261125);
        foreach (var seed in seeds)
        {
            target(seed);
            for (var i = 0; i < 16 && seed.Length > 0; i++)
            {
                var mutated = (byte[])seed.Clone();
                mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                target(mutated);
                target(mutated[..random.Next(mutated.Length)]);
            }
        }

        for (var i = 0; i < randomInputs; i++)
        {
            var input = new byte[random.Next(0, 600)];
            random.NextBytes(input);
            target(input);
        }
    }

    /// <summary>fuzz/corpus/NAME in the repository, found by walking up to Chhaya.sln.</summary>
    public static string DirectoryOf(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException("Run the tests from inside the Chhaya repository: fuzz/corpus could not be found.")
            : Path.Combine(dir.FullName, "fuzz", "corpus", name);
    }
}
