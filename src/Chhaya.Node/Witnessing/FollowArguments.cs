// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using Chhaya.Bls;

namespace Chhaya.Node.Witnessing;

/// <summary>
/// The configuration that makes a node follow one directory, written as the <c>--Witness:Directories:N:*</c>
/// command-line arguments an operator would pass (see <see cref="FollowedDirectoryOptions"/>). One place
/// builds them for <c>chhaya devnet</c> and for tests that start real nodes, so the keys and names stay
/// the ones the parser reads.
/// </summary>
/// <param name="DirectoryId">The directory id, hex.</param>
/// <param name="HeadPublicKey">The directory's Ed25519 head key, hex.</param>
/// <param name="VrfPublicKey">The directory's ECVRF public key, hex.</param>
/// <param name="Threshold">Co-signatures a certificate needs.</param>
public sealed record FollowArguments(string DirectoryId, string HeadPublicKey, string VrfPublicKey, int Threshold)
{
    /// <summary>A display name, or none.</summary>
    public string? Name { get; init; }

    /// <summary>The directory's publishing interval (stall detection uses it).</summary>
    public double EpochIntervalSeconds { get; init; } = 60;

    /// <summary>The witness set in order: compressed BLS public key and proof of possession, hex.</summary>
    public IReadOnlyList<(string PublicKey, string ProofOfPossession)> Witnesses { get; init; } = [];

    /// <summary>Where heads and proofs are fetched: multiaddrs with <c>/p2p/ID</c>.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>A witness set member as the configuration names it: its public key and a fresh proof of possession.</summary>
    public static (string PublicKey, string ProofOfPossession) Member(BlsSecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (Convert.ToHexStringLower(key.PublicKey.Bytes), Convert.ToHexStringLower(key.ProvePossession().Bytes));
    }

    /// <summary>The arguments for entry <paramref name="index"/> of <c>Witness:Directories</c>.</summary>
    public string[] ToArguments(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var prefix = $"--{WitnessOptions.SectionName}:Directories:{index}";
        var arguments = new List<string>
        {
            $"{prefix}:Id={DirectoryId}",
            $"{prefix}:HeadPublicKey={HeadPublicKey}",
            $"{prefix}:VrfPublicKey={VrfPublicKey}",
            $"{prefix}:EpochIntervalSeconds={EpochIntervalSeconds.ToString(CultureInfo.InvariantCulture)}",
            $"{prefix}:Quorum:Threshold={Threshold}",
        };
        if (Name is not null)
        {
            arguments.Add($"{prefix}:Name={Name}");
        }

        for (var i = 0; i < Witnesses.Count; i++)
        {
            arguments.Add($"{prefix}:Quorum:Witnesses:{i}:PublicKey={Witnesses[i].PublicKey}");
            arguments.Add($"{prefix}:Quorum:Witnesses:{i}:ProofOfPossession={Witnesses[i].ProofOfPossession}");
        }

        for (var i = 0; i < Sources.Count; i++)
        {
            arguments.Add($"{prefix}:Sources:{i}={Sources[i]}");
        }

        return [.. arguments];
    }
}
