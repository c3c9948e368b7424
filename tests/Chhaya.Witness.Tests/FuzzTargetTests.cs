// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz;
using Chhaya.Fuzz.Witness;
using Chhaya.Testing;

namespace Chhaya.Witness.Tests;

/// <summary>The witness decoders' fuzz targets over their seeds, mutations and random bytes.</summary>
public class FuzzTargetTests
{
    public static TheoryData<string> Targets => ["witness-evidence", "witness-directory-request", "witness-stored-node"];

    private static readonly IFuzzer[] Fuzzers = [new EvidenceBundleFuzzer(), new DirectoryRequestFuzzer(), new StoredNodeFuzzer()];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_mutations_and_random_bytes_never_escape_the_documented_exceptions(string name)
    {
        var fuzzer = Fuzzers.Single(f => f.Name == name);
        FuzzCorpus.Replay(name, input => fuzzer.FuzzTarget(input));
    }

    [Fact]
    public void The_seeds_exercise_the_accepting_paths()
    {
        // A corpus of seeds the decoders all refuse would test nothing but the refusal.
        Assert.NotNull(Evidence.EvidenceBundle.Decode(File.ReadAllBytes(Path.Combine(FuzzCorpus.DirectoryOf("witness-evidence"), "conflicting-heads"))));
        Assert.NotNull(Protocol.DirectoryProtocol.DecodeRequest(File.ReadAllBytes(Path.Combine(FuzzCorpus.DirectoryOf("witness-directory-request"), "proof-3-4"))));
    }
}
