// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Witness.Gossip;

/// <summary>The gossipsub topics the witness network uses (DESIGN: "Witnessing and quorum").</summary>
public static class WitnessTopics
{
    /// <summary>Equivocation evidence, for every directory: every node subscribes.</summary>
    public const string Alerts = "chhaya/alerts/1";

    /// <summary>Directory-signed epoch heads of directory <paramref name="directory"/>.</summary>
    public static string Heads(Digest directory) => $"chhaya/vkd/{directory.ToHex()}/heads/1";

    /// <summary>Co-signatures, each with the signed head it covers.</summary>
    public static string CoSignatures(Digest directory) => $"chhaya/vkd/{directory.ToHex()}/cosig/1";

    /// <summary>Quorum certificates, each with the signed head it certifies.</summary>
    public static string Certificates(Digest directory) => $"chhaya/vkd/{directory.ToHex()}/qc/1";
}
