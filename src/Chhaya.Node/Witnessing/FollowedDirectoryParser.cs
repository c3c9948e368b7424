// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.P2p.Addressing;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Witness;

namespace Chhaya.Node.Witnessing;

/// <summary>A followed directory with everything its configuration names, validated.</summary>
public sealed record ConfiguredDirectory(FollowedDirectory Directory, string Name, byte[] VrfPublicKey, TimeSpan EpochInterval, double StallMultiple, IReadOnlyList<Multiaddr> Sources);

/// <summary>
/// Turns <c>Witness:Directories</c> into validated directories. Every problem names the configuration key
/// at fault and what a valid value looks like, because an operator reads these at start-up.
/// </summary>
public static class FollowedDirectoryParser
{
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static IReadOnlyList<ConfiguredDirectory> Parse(WitnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = new List<ConfiguredDirectory>();
        for (var i = 0; i < options.Directories.Count; i++)
        {
            var entry = Parse(options.Directories[i], $"{WitnessOptions.SectionName}:Directories:{i}");
            if (parsed.Any(p => p.Directory.DirectoryId == entry.Directory.DirectoryId))
            {
                throw new InvalidOperationException($"{WitnessOptions.SectionName}:Directories:{i}:Id repeats a directory already configured.");
            }

            parsed.Add(entry);
        }

        return parsed;
    }

    public static ConfiguredDirectory Parse(FollowedDirectoryOptions entry, string path)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = Hex(entry.Id, Digest.Length, $"{path}:Id");
        var headKey = Hex(entry.HeadPublicKey, Chhaya.Crypto.Ed25519.PublicKeyLength, $"{path}:HeadPublicKey");
        var vrfKey = Hex(entry.VrfPublicKey, 32, $"{path}:VrfPublicKey");
        var configuration = DirectoryConfigurations.Find(entry.Configuration)
            ?? throw new InvalidOperationException($"{path}:Configuration '{entry.Configuration}' is not known; use 'experimental' or 'whatsapp_v1'.");
        if (!double.IsFinite(entry.EpochIntervalSeconds) || entry.EpochIntervalSeconds is < 0.1 or > 86400 * 7)
        {
            throw new InvalidOperationException($"{path}:EpochIntervalSeconds must be between 0.1 and 604800, not {entry.EpochIntervalSeconds}.");
        }

        if (!double.IsFinite(entry.StallMultiple) || entry.StallMultiple is < 1 or > 1000)
        {
            throw new InvalidOperationException($"{path}:StallMultiple must be between 1 and 1000, not {entry.StallMultiple}.");
        }

        var members = new List<WitnessMember>();
        for (var w = 0; w < entry.Quorum.Witnesses.Count; w++)
        {
            var member = entry.Quorum.Witnesses[w];
            var where = $"{path}:Quorum:Witnesses:{w}";
            var keyStatus = BlsPublicKey.TryDecode(Hex(member.PublicKey, BlsPublicKey.Length, $"{where}:PublicKey"), out var key);
            var popStatus = BlsSignature.TryDecode(Hex(member.ProofOfPossession, BlsSignature.Length, $"{where}:ProofOfPossession"), out var pop);
            if (keyStatus != Chhaya.Bls.PointDecodeStatus.Ok || popStatus != Chhaya.Bls.PointDecodeStatus.Ok)
            {
                throw new InvalidOperationException($"{where} is not a valid BLS key and proof of possession (key: {keyStatus}, proof: {popStatus}); copy both from `chhaya witness id` on that witness.");
            }

            members.Add(new WitnessMember(key!, pop!));
        }

        WitnessSet witnesses;
        try
        {
            witnesses = WitnessSet.Create(members, entry.Quorum.Threshold);
        }
        catch (QuorumException e)
        {
            throw new InvalidOperationException($"{path}:Quorum is invalid: {e.Message}", e);
        }

        var sources = new List<Multiaddr>();
        for (var s = 0; s < entry.Sources.Count; s++)
        {
            try
            {
                var address = Multiaddr.Parse(entry.Sources[s]);
                if (address.TryGetTcpTarget() is null || address.PeerId is null)
                {
                    throw new MalformedInputException("it needs a TCP address and a /p2p/ peer id");
                }

                sources.Add(address);
            }
            catch (MalformedInputException e)
            {
                throw new InvalidOperationException($"{path}:Sources:{s} '{entry.Sources[s]}' is not usable: {e.Message}; write it as /ip4/HOST/tcp/PORT/p2p/PEER-ID.", e);
            }
        }

        var directory = new FollowedDirectory(new Digest(id), headKey, configuration, witnesses);
        var name = string.IsNullOrWhiteSpace(entry.Name) ? directory.Key : entry.Name.Trim();
        return new ConfiguredDirectory(directory, name, vrfKey, TimeSpan.FromSeconds(entry.EpochIntervalSeconds), entry.StallMultiple, sources);
    }

    private static byte[] Hex(string? text, int length, string key)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length != 2 * length)
        {
            throw new InvalidOperationException($"{key} must be {length} bytes as {2 * length} hex digits; it has {trimmed.Length} characters.");
        }

        try
        {
            return Convert.FromHexString(trimmed);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{key} is not hexadecimal.", e);
        }
    }
}
