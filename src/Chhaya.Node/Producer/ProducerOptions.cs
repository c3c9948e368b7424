// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Producer;

/// <summary>The <c>Producer</c> section: this node runs a key directory and publishes its epochs.</summary>
public sealed class ProducerOptions
{
    public const string SectionName = "Producer";

    /// <summary>Run a directory in this node (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>A name for people.</summary>
    public string Name { get; set; } = "local directory";

    /// <summary><c>experimental</c> or <c>whatsapp_v1</c>.</summary>
    public string Configuration { get; set; } = "experimental";

    /// <summary>Seconds between epochs; an epoch is published even with no updates, so silence means a stall.</summary>
    public double EpochIntervalSeconds { get; set; } = 60;

    /// <summary>Random (label, value) updates added to every epoch, for demonstrations and load tests.</summary>
    public int RandomUpdatesPerEpoch { get; set; }

    /// <summary>
    /// For demonstrations only: at this epoch the directory also signs a second head with another root and
    /// gossips both, which every witness must catch. Null (the default) never equivocates.
    /// </summary>
    public long? EquivocateAtEpoch { get; set; }
}
