// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Api;

/// <summary>
/// The public, read-only JSON API under <c>/api/v1</c>. Every handler only reads the history; none
/// changes state. Path parameters are validated before they reach a query.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Longest directory id accepted in a path (hex of a 64-byte id).</summary>
    public const int MaxDirectoryIdLength = 128;

    public static RouteGroupBuilder MapChhayaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("history");
        api.MapGet("/status", GetStatus).WithName("GetStatus").WithSummary("The node's identity, storage and history counts.");
        api.MapGet("/directories", GetDirectories).WithName("GetDirectories").WithSummary("Every directory the node follows or has seen heads from.");
        api.MapGet("/directories/{id}", GetDirectory).WithName("GetDirectory").WithSummary("One directory and its latest witnessed epoch.");
        api.MapGet("/directories/{id}/epochs", GetEpochs).WithName("GetEpochs").WithSummary("Signed epoch heads of one directory, oldest first; page with ?after=&limit=.");
        api.MapGet("/directories/{id}/epochs/{epoch:long}", GetEpoch).WithName("GetEpoch").WithSummary("One epoch: its signed heads, audit results, co-signatures, certificates with their signers, and evidence.");
        api.MapGet("/directories/{id}/audits", GetAudits).WithName("GetAudits").WithSummary("Append-only proof checks of one directory, oldest first, with a link to each stored proof.");
        api.MapGet("/directories/{id}/witnesses", GetWitnesses).WithName("GetWitnesses").WithSummary("The directory's witnesses and how recently each co-signed (live, lagging, silent).");
        api.MapGet("/audits/{sequence:long}/proof", GetAuditProof).WithName("GetAuditProof").WithSummary("One stored append-only proof exactly as the node received it, as raw bytes.");
        api.MapGet("/directories/{id}/cosignatures", GetCoSignatures).WithName("GetCoSignatures").WithSummary("Witness co-signatures on one directory's heads, oldest first.");
        api.MapGet("/directories/{id}/certificates", GetCertificates).WithName("GetCertificates").WithSummary("Quorum certificates on one directory's heads, oldest first.");
        api.MapGet("/peers", GetPeers).WithName("GetPeers").WithSummary("The libp2p peers this node is connected to.");
        api.MapGet("/equivocations", GetEquivocations).WithName("GetEquivocations").WithSummary("Evidence of equivocation and misbehaviour, oldest first.");
        api.MapGet("/equivocations/{sequence:long}/bundle", GetEvidenceBundle).WithName("GetEvidenceBundle").WithSummary("One evidence bundle as raw bytes, for `chhaya evidence verify`.");
        api.MapGet("/alerts", GetAlerts).WithName("GetAlerts").WithSummary("Alerts raised by this node, oldest first.");
        return api;
    }

    internal static async Task<Ok<NodeStatus>> GetStatus(NodeStatusService status, CancellationToken cancellationToken) =>
        TypedResults.Ok(await status.GetAsync(cancellationToken));

    internal static async Task<Ok<IReadOnlyList<DirectorySummary>>> GetDirectories(HistoryReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.DirectoriesAsync(cancellationToken));

    internal static async Task<Results<Ok<DirectorySummary>, NotFound<ApiError>, BadRequest<ApiError>>> GetDirectory(string id, HistoryReader reader, CancellationToken cancellationToken)
    {
        if (!IsDirectoryId(id))
        {
            return TypedResults.BadRequest(BadId);
        }

        var directory = await reader.DirectoryAsync(id.ToLowerInvariant(), cancellationToken);
        return directory is null
            ? TypedResults.NotFound(new ApiError($"No directory {id} has been witnessed by this node."))
            : TypedResults.Ok(directory);
    }

    internal static Task<Results<Ok<Page<EpochView>>, BadRequest<ApiError>>> GetEpochs(string id, long? after, int? limit, HistoryReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken) =>
        DirectoryPageAsync(id, after, limit, options.Value, (d, a, l) => reader.EpochsAsync(d, a, l, cancellationToken));

    /// <summary>Validates a directory id and page parameters, then reads one page of that directory's rows.</summary>
    private static async Task<Results<Ok<Page<T>>, BadRequest<ApiError>>> DirectoryPageAsync<T>(string id, long? after, int? limit, HttpOptions options, Func<string, long, int, Task<Page<T>>> read)
    {
        if (!IsDirectoryId(id))
        {
            return TypedResults.BadRequest(BadId);
        }

        if (PageOf(after, limit, options) is not var (start, size))
        {
            return TypedResults.BadRequest(BadPage(options));
        }

        return TypedResults.Ok(await read(id.ToLowerInvariant(), start, size));
    }

    internal static Task<Results<Ok<Page<CoSignatureView>>, BadRequest<ApiError>>> GetCoSignatures(string id, long? after, int? limit, HistoryReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken) =>
        DirectoryPageAsync(id, after, limit, options.Value, (d, a, l) => reader.CoSignaturesAsync(d, a, l, cancellationToken));

    internal static Task<Results<Ok<Page<CertificateView>>, BadRequest<ApiError>>> GetCertificates(string id, long? after, int? limit, HistoryReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken) =>
        DirectoryPageAsync(id, after, limit, options.Value, (d, a, l) => reader.CertificatesAsync(d, a, l, cancellationToken));

    internal static async Task<Results<Ok<EpochDetail>, NotFound<ApiError>, BadRequest<ApiError>>> GetEpoch(string id, long epoch, EpochDetailReader reader, CancellationToken cancellationToken)
    {
        if (!IsDirectoryId(id))
        {
            return TypedResults.BadRequest(BadId);
        }

        if (epoch < 0)
        {
            return TypedResults.BadRequest(new ApiError("An epoch is 0 or more."));
        }

        var detail = await reader.EpochAsync(id.ToLowerInvariant(), epoch, cancellationToken);
        return detail is null
            ? TypedResults.NotFound(new ApiError($"This node holds nothing for epoch {epoch} of directory {id}."))
            : TypedResults.Ok(detail);
    }

    internal static Task<Results<Ok<Page<AuditView>>, BadRequest<ApiError>>> GetAudits(string id, long? after, int? limit, EpochDetailReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken) =>
        DirectoryPageAsync(id, after, limit, options.Value, (d, a, l) => reader.AuditsAsync(d, a, l, cancellationToken));

    internal static async Task<Results<Ok<WitnessesView>, NotFound<ApiError>, BadRequest<ApiError>>> GetWitnesses(string id, EpochDetailReader reader, CancellationToken cancellationToken)
    {
        if (!IsDirectoryId(id))
        {
            return TypedResults.BadRequest(BadId);
        }

        var witnesses = await reader.WitnessesAsync(id.ToLowerInvariant(), cancellationToken);
        return witnesses is null
            ? TypedResults.NotFound(new ApiError($"This node neither follows directory {id} nor holds any of its history."))
            : TypedResults.Ok(witnesses);
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<ApiError>>> GetAuditProof(long sequence, EpochDetailReader reader, CancellationToken cancellationToken)
    {
        var proof = await reader.AuditProofAsync(sequence, cancellationToken);
        return proof is null
            ? TypedResults.NotFound(new ApiError($"No audit result #{sequence} is stored on this node."))
            : TypedResults.File(proof, "application/octet-stream", $"chhaya-audit-{sequence}.pb");
    }

    internal static Ok<IReadOnlyList<PeerView>> GetPeers(P2p.NodeP2pHost p2p)
    {
        IReadOnlyList<PeerView> peers = p2p.Enabled
            ? [.. p2p.Host.Connections.Select(c => new PeerView(
                c.RemotePeer.ToString(), c.RemoteAddress.ToString(), c.Direction.ToString(), c.OpenedAt, c.Identify?.AgentVersion, c.Identify?.Protocols ?? []))]
            : [];
        return TypedResults.Ok(peers);
    }

    internal static async Task<Results<Ok<Page<EquivocationView>>, BadRequest<ApiError>>> GetEquivocations(long? after, int? limit, HistoryReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken)
    {
        if (PageOf(after, limit, options.Value) is not var (start, size))
        {
            return TypedResults.BadRequest(BadPage(options.Value));
        }

        return TypedResults.Ok(await reader.EquivocationsAsync(start, size, cancellationToken));
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<ApiError>>> GetEvidenceBundle(long sequence, HistoryReader reader, CancellationToken cancellationToken)
    {
        var bundle = await reader.EvidenceBundleAsync(sequence, cancellationToken);
        return bundle is null
            ? TypedResults.NotFound(new ApiError($"No evidence #{sequence} is stored on this node."))
            : TypedResults.File(bundle, "application/octet-stream", $"chhaya-evidence-{sequence}.bin");
    }

    internal static async Task<Results<Ok<Page<AlertView>>, BadRequest<ApiError>>> GetAlerts(long? after, int? limit, HistoryReader reader, IOptions<HttpOptions> options, CancellationToken cancellationToken)
    {
        if (PageOf(after, limit, options.Value) is not var (start, size))
        {
            return TypedResults.BadRequest(BadPage(options.Value));
        }

        return TypedResults.Ok(await reader.AlertsAsync(start, size, cancellationToken));
    }

    /// <summary>A directory id is 2 to <see cref="MaxDirectoryIdLength"/> hex digits, an even number of them.</summary>
    public static bool IsDirectoryId(string id) =>
        id.Length is >= 2 and <= MaxDirectoryIdLength && id.Length % 2 == 0 && id.All(char.IsAsciiHexDigit);

    private static (long After, int Limit)? PageOf(long? after, int? limit, HttpOptions options)
    {
        var start = after ?? 0;
        var size = limit ?? Math.Min(50, options.MaxPageSize);
        return start < 0 || size < 1 || size > options.MaxPageSize ? null : (start, size);
    }

    private static readonly ApiError BadId = new($"A directory id is an even number of hex digits, at most {MaxDirectoryIdLength}.");

    private static ApiError BadPage(HttpOptions options) => new($"'after' must be 0 or more and 'limit' between 1 and {options.MaxPageSize}.");
}
