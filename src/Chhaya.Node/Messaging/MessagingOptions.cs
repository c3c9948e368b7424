// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Messaging;

/// <summary>The <c>Messaging</c> configuration section: the local user, its mailboxes, and this node's mailbox.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>The local user's handle in the key directory (e.g. <c>alice</c>); none means no local user.</summary>
    public string? Handle { get; set; }

    /// <summary>
    /// The name (or id) of the followed directory (<c>Witness:Directories</c>) that binds handles to keys; may be
    /// left out when exactly one directory is followed.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Multiaddrs (with <c>/p2p/ID</c>) of up to four peers that hold envelopes for the user while it is offline.</summary>
    public List<string> Mailboxes { get; set; } = [];

    /// <summary>Hold envelopes for users that name this node as their mailbox (default true).</summary>
    public bool ServeMailbox { get; set; } = true;

    /// <summary>Cover envelopes sent per hour to random contacts (0 turns cover traffic off).</summary>
    public double CoverEnvelopesPerHour { get; set; }

    /// <summary>How often the outbox retries and mailboxes are collected from (seconds).</summary>
    public double PollIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// How long a verified binding is trusted before the directory is asked again when sending (seconds; 0 asks before
    /// every message). A key change is caught at the next check.
    /// </summary>
    public double RecheckSeconds { get; set; } = 300;

    /// <summary>How often the prekey record is published to the DHT again (seconds).</summary>
    public double PublishIntervalSeconds { get; set; } = 600;
}
