// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Quorum;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Wire;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Serves lookup proofs for the directories this node runs on <c>/chhaya/vkd/lookup/1.0.0</c>: the latest
/// signed head, the lookup proof at that epoch and, through <c>findCertificate</c>, a stored quorum
/// certificate for it. Requests are bounded (label length, a limit on concurrent requests, a timeout), and a
/// bad request gets a typed refusal, never a crash.
/// </summary>
public sealed class LookupProtocolServer : RequestResponseServer
{
    // A publish between reading the head and building the proof would pair them wrongly; retry a few times.
    private const int ConsistentReadAttempts = 4;

    private readonly Dictionary<Digest, VkdDirectory> _directories;
    private readonly Func<Digest, ulong, CancellationToken, Task<QuorumCertificate?>> _findCertificate;

    /// <param name="directories">The directories served, by id.</param>
    /// <param name="findCertificate">Finds a stored quorum certificate for a directory's epoch, or null.</param>
    /// <param name="logger">Logs refused requests.</param>
    /// <param name="maxConcurrentRequests">Requests answered at once; a few more wait briefly for a turn, the rest get <see cref="LookupResponseStatus.Busy"/>.</param>
    /// <param name="requestTimeout">How long one request may take, reading included.</param>
    public LookupProtocolServer(
        IEnumerable<(Digest Id, VkdDirectory Directory)> directories,
        Func<Digest, ulong, CancellationToken, Task<QuorumCertificate?>> findCertificate,
        ILogger<LookupProtocolServer> logger,
        int maxConcurrentRequests = 8,
        TimeSpan? requestTimeout = null)
        : base(LookupProtocol.ProtocolId, LookupProtocol.MaxRequestLength, logger, maxConcurrentRequests, requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _directories = directories.ToDictionary(d => d.Id, d => d.Directory);
        _findCertificate = findCertificate ?? throw new ArgumentNullException(nameof(findCertificate));
    }

    protected override Task<byte[]> AnswerAsync(byte[] request, CancellationToken cancellationToken) =>
        AnswerAsync(LookupProtocol.DecodeRequest(request), cancellationToken);

    protected override byte[] Busy(string reason) => LookupProtocol.Response(LookupResponseStatus.Busy, reason);

    protected override byte[] Refusal(string reason) => LookupProtocol.Response(LookupResponseStatus.BadRequest, reason);

    private async Task<byte[]> AnswerAsync(LookupRequest request, CancellationToken cancellationToken)
    {
        if (!_directories.TryGetValue(request.DirectoryId, out var directory))
        {
            return LookupProtocol.Response(LookupResponseStatus.NotFound, "this node does not run that directory");
        }

        for (var attempt = 0; attempt < ConsistentReadAttempts; attempt++)
        {
            var head = directory.LatestHead;
            byte[] proof;
            try
            {
                proof = AkdProofCodec.Encode(directory.GetLookupProof(request.Label.Span));
            }
            catch (KeyNotFoundException)
            {
                return LookupProtocol.Response(LookupResponseStatus.NotFound, "the label has never been published");
            }

            if (directory.LatestHead.Head.Epoch != head.Head.Epoch)
            {
                continue;
            }

            var certificate = await _findCertificate(request.DirectoryId, head.Head.Epoch, cancellationToken).ConfigureAwait(false);
            var encoded = certificate?.Encode();
            if (proof.Length > LookupProtocol.MaxProofLength || encoded?.Length > LookupProtocol.MaxCertificateLength)
            {
                return LookupProtocol.Response(LookupResponseStatus.NotFound, "the proof or certificate is over the protocol's bounds");
            }

            return LookupProtocol.EncodeAnswer(new LookupAnswer(head.Encode(), proof, encoded));
        }

        return LookupProtocol.Response(LookupResponseStatus.Busy, "the directory is publishing; try again shortly");
    }
}
