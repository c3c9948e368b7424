// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.Testing;

namespace Chhaya.Node.Tests;

public class WitnessCliTests
{
    [Fact]
    public async Task Witness_id_prints_a_stable_key_with_a_valid_proof_of_possession()
    {
        using var directory = new TempDirectory();
        var (code, first, _) = await ChhayaProcess.RunAsync("witness", "id", "--data-dir", directory.Path);
        Assert.Equal(0, code);
        var (_, second, _) = await ChhayaProcess.RunAsync("witness", "id", "--data-dir", directory.Path);
        Assert.Equal(first, second);

        var lines = first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 2)[1].Trim()).ToArray();
        var publicKey = BlsPublicKey.Decode(Convert.FromHexString(lines[0]));
        var proof = BlsSignature.Decode(Convert.FromHexString(lines[1]));
        Assert.True(BlsSignatures.PopVerify(publicKey, proof));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, "witness.key")));
    }
}
