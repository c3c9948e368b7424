// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Api;

/// <summary>What the node is and where it keeps its history.</summary>
public sealed record NodeStatus(string Version, string IdentityPublicKey, string PeerId, IReadOnlyList<string> P2pAddresses, string Storage, DateTimeOffset StartedAt, HistoryCounts Counts);

/// <summary>Row counts of the main history tables.</summary>
public sealed record HistoryCounts(long Directories, long EpochHeads, long CoSignatures, long QuorumCertificates, long Equivocations, long Alerts);

/// <summary>A followed directory and its latest witnessed epoch.</summary>
public sealed record DirectorySummary(
    string Id,
    string? DisplayName,
    string? Configuration,
    long? LatestEpoch,
    string? LatestRoot,
    DateTimeOffset? LatestHeadTime,
    long EpochHeads,
    long QuorumCertificates,
    long Equivocations);

/// <summary>One directory-signed epoch head as the node received it.</summary>
public sealed record EpochView(
    long Sequence,
    long Epoch,
    string Root,
    string PreviousRoot,
    DateTimeOffset HeadTime,
    DateTimeOffset ReceivedAt,
    string Source,
    string SignedHead);

/// <summary>Evidence of misbehaviour, with the bundle anyone can verify offline.</summary>
public sealed record EquivocationView(
    long Sequence,
    string DirectoryId,
    long Epoch,
    string Kind,
    string Summary,
    DateTimeOffset DetectedAt,
    string Evidence);

/// <summary>A witness's BLS co-signature on one epoch head.</summary>
public sealed record CoSignatureView(long Sequence, long Epoch, string Root, string WitnessPublicKey, string Signature, DateTimeOffset ReceivedAt);

/// <summary>A quorum certificate: the signer bitmap and aggregate signature, and the canonical encoding clients check.</summary>
public sealed record CertificateView(long Sequence, long Epoch, string Root, string SignerBitmap, string AggregateSignature, string Certificate, DateTimeOffset StoredAt);

/// <summary>A connected libp2p peer.</summary>
public sealed record PeerView(string PeerId, string Address, string Direction, DateTimeOffset ConnectedAt, string? AgentVersion, IReadOnlyList<string> Protocols);

/// <summary>An alert raised to the operator.</summary>
public sealed record AlertView(long Sequence, string Kind, string Severity, string? DirectoryId, string Message, DateTimeOffset RaisedAt);

/// <summary>A page of results; <see cref="Next"/> is the cursor for the following page, if any.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long? Next);

/// <summary>An error body: what went wrong and what to do.</summary>
public sealed record ApiError(string Error);
