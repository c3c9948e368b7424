// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Witnessing;

/// <summary>The <c>Witness</c> configuration section: which directories this node follows and how.</summary>
public sealed class WitnessOptions
{
    public const string SectionName = "Witness";

    /// <summary>Co-sign the heads of directories whose quorum includes this node's BLS key (default true).</summary>
    public bool CoSign { get; set; } = true;

    /// <summary>How often directory sources are asked for heads gossip has not brought (seconds; 0 turns polling off).</summary>
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>How often stalls are checked for (seconds).</summary>
    public double StallCheckSeconds { get; set; } = 5;

    /// <summary>URLs that receive every alert as a JSON POST.</summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>The directories followed.</summary>
    public List<FollowedDirectoryOptions> Directories { get; set; } = [];

    /// <summary>The entry for directory <paramref name="id"/> (hex, any case); a later entry for an id supersedes earlier ones.</summary>
    public FollowedDirectoryOptions? Find(string id) =>
        Directories.LastOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One followed directory, as configured (<c>Witness:Directories:N:…</c>).</summary>
public sealed class FollowedDirectoryOptions
{
    /// <summary>A name for people; defaults to the id.</summary>
    public string? Name { get; set; }

    /// <summary>The 32-byte directory id, hex.</summary>
    public string Id { get; set; } = "";

    /// <summary>The directory's Ed25519 head-signing public key, hex.</summary>
    public string HeadPublicKey { get; set; } = "";

    /// <summary>The directory's ECVRF public key, hex (clients check lookups with it).</summary>
    public string VrfPublicKey { get; set; } = "";

    /// <summary><c>experimental</c> or <c>whatsapp_v1</c>.</summary>
    public string Configuration { get; set; } = "experimental";

    /// <summary>How often the directory publishes an epoch (seconds).</summary>
    public double EpochIntervalSeconds { get; set; } = 60;

    /// <summary>No new epoch for this many intervals is a stall.</summary>
    public double StallMultiple { get; set; } = 3;

    /// <summary>Multiaddrs (with <c>/p2p/ID</c>) of peers that serve the directory's heads and proofs.</summary>
    public List<string> Sources { get; set; } = [];

    public QuorumOptions Quorum { get; set; } = new();
}

/// <summary>The directory's witness quorum.</summary>
public sealed class QuorumOptions
{
    public int Threshold { get; set; }

    public List<QuorumMemberOptions> Witnesses { get; set; } = [];
}

/// <summary>One witness, as <c>chhaya witness id</c> prints it.</summary>
public sealed class QuorumMemberOptions
{
    /// <summary>48-byte compressed BLS public key, hex.</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>96-byte proof of possession, hex.</summary>
    public string ProofOfPossession { get; set; } = "";
}
