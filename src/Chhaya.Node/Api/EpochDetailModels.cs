// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Api;

/// <summary>
/// Everything the node holds about one epoch of one directory: the signed heads (more than one means the
/// directory equivocated), the append-only proofs it checked into that epoch, the co-signatures, the
/// certificates with their signers, and the evidence raised for that epoch.
/// </summary>
public sealed record EpochDetail(
    string DirectoryId,
    long Epoch,
    bool ConflictingHeads,
    IReadOnlyList<EpochView> Heads,
    IReadOnlyList<AuditView> Audits,
    IReadOnlyList<CoSignatureView> CoSignatures,
    IReadOnlyList<CertifiedEpochView> Certificates,
    IReadOnlyList<long> EvidenceSequences);

/// <summary>
/// One append-only (audit) proof check: which step it covered, the verdict, and where to download the
/// proof exactly as the node received it (<see cref="ProofUrl"/>), so an auditor can re-check it.
/// </summary>
public sealed record AuditView(
    long Sequence,
    long FromEpoch,
    long ToEpoch,
    string FromRoot,
    string ToRoot,
    string Verdict,
    string? Failure,
    long ProofLength,
    DateTimeOffset RecordedAt,
    string ProofUrl);

/// <summary>
/// A stored quorum certificate with its signers named: <see cref="Signers"/> lists the BLS public keys
/// whose bits are set, when this node is configured with the directory's witness set (null otherwise).
/// </summary>
public sealed record CertifiedEpochView(CertificateView Certificate, int SignerCount, int? Threshold, IReadOnlyList<string>? Signers);

/// <summary>
/// The witnesses of one directory and how recently each co-signed. <see cref="WindowEpochs"/> is how far
/// back the node looks; a witness with nothing inside it is <c>silent</c>. <see cref="LatestEpoch"/> is the newest
/// epoch the node has seen: a head, or a co-signature or certificate on an epoch whose head has not arrived yet.
/// </summary>
public sealed record WitnessesView(string DirectoryId, int? Threshold, long? LatestEpoch, long WindowEpochs, int LiveEpochs, IReadOnlyList<WitnessLiveness> Witnesses);

/// <summary>
/// One witness: its position in the configured witness set (null when it is not a member), its key,
/// <c>live</c> (co-signed one of the newest <see cref="WitnessesView.LiveEpochs"/> epochs), <c>lagging</c>
/// (co-signed inside the window, but not recently) or <c>silent</c>, and its last co-signature, seen either as
/// a stored co-signature or as its bit in a stored certificate. <see cref="CoSignaturesInWindow"/> counts the
/// stored co-signature rows only (a node ignores co-signatures on epochs it already holds a certificate for).
/// </summary>
public sealed record WitnessLiveness(
    int? Index,
    string PublicKey,
    string Status,
    long? LastCoSignedEpoch,
    DateTimeOffset? LastCoSignedAt,
    long? EpochsBehind,
    long CoSignaturesInWindow);
