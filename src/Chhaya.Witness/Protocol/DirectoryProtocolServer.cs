// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.LogStore;
using Chhaya.P2p.Hosting;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Services;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Serves heads and append-only proofs on <c>/chhaya/vkd/audit/1.0.0</c>: live from the directories this node
/// runs, and from the stored audit history for the directories it follows (witness or auditor), so a peer
/// can get a proof from any node that verified it. Requests are bounded (fixed size, proof spans of at most
/// <see cref="DirectoryProtocol.MaxProofSpan"/> epochs, a limit on concurrent requests, a deadline), and a bad
/// request gets a typed refusal, never a crash.
/// </summary>
/// <remarks>
/// A router holds one handler per protocol, yet a node may both follow directories and run one. So a server
/// registered on a router that already has one links to it: it answers for its own directories first and
/// asks the earlier server's directories next. A running directory therefore always answers live, and the
/// followed ones stay served, whichever part of the node registers first.
/// </remarks>
public sealed class DirectoryProtocolServer : RequestResponseServer
{
    private static readonly ConditionalWeakTable<ProtocolRouter, DirectoryProtocolServer> Registered = new();
    private static readonly Lock RegistrationLock = new();

    private readonly Dictionary<Digest, IDirectoryAnswerer> _directories;
    private DirectoryProtocolServer? _next;

    /// <summary>Serves the directories this node runs.</summary>
    public DirectoryProtocolServer(IEnumerable<(Digest Id, VkdDirectory Directory)> directories, ILogger<DirectoryProtocolServer> logger, int maxConcurrentRequests = 8, TimeSpan? requestTimeout = null)
        : this(Live(directories), logger, maxConcurrentRequests, requestTimeout)
    {
    }

    private DirectoryProtocolServer(Dictionary<Digest, IDirectoryAnswerer> directories, ILogger<DirectoryProtocolServer> logger, int maxConcurrentRequests, TimeSpan? requestTimeout)
        : base(DirectoryProtocol.ProtocolId, DirectoryProtocol.RequestLength, logger, maxConcurrentRequests, requestTimeout)
    {
        _directories = directories;
    }

    /// <summary>Serves the followed directories from the heads and verified proofs in <paramref name="store"/>.</summary>
    public static DirectoryProtocolServer ForFollowedDirectories(IEnumerable<Digest> directoryIds, HistoryStore store, ILogger<DirectoryProtocolServer> logger, int maxConcurrentRequests = 8, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(directoryIds);
        ArgumentNullException.ThrowIfNull(store);
        var answerers = directoryIds.Distinct().ToDictionary(id => id, id => (IDirectoryAnswerer)new AuditHistoryAnswerer(store, id.ToHex()));
        return new DirectoryProtocolServer(answerers, logger, maxConcurrentRequests, requestTimeout);
    }

    /// <summary>
    /// The directory with this id that this node itself runs and serves on <paramref name="router"/>, as a
    /// source for the node's own follower; null when the node does not run it.
    /// </summary>
    public static IDirectorySource? FindRunningDirectory(ProtocolRouter router, Digest directoryId)
    {
        ArgumentNullException.ThrowIfNull(router);
        DirectoryProtocolServer? top;
        lock (RegistrationLock)
        {
            top = Registered.TryGetValue(router, out var registered) ? registered : null;
        }

        return top?.Find(directoryId) is { IsLive: true } answerer ? answerer as IDirectorySource : null;
    }

    /// <summary>Registers the handler on <paramref name="router"/>, linking to a server registered there before.</summary>
    public override void Register(ProtocolRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        lock (RegistrationLock)
        {
            if (Registered.TryGetValue(router, out var earlier) && _next is null && !earlier.Chain().Contains(this))
            {
                _next = earlier;
            }

            Registered.AddOrUpdate(router, this);
            base.Register(router);
        }
    }

    protected override async Task<byte[]> AnswerAsync(byte[] request, CancellationToken cancellationToken)
    {
        var decoded = DirectoryProtocol.DecodeRequest(request);
        if (Find(decoded.DirectoryId) is not { } directory)
        {
            return DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, "this node neither runs nor follows that directory");
        }

        if (decoded.Kind == DirectoryRequestKind.Head)
        {
            return await directory.AnswerHeadAsync(decoded.From, cancellationToken).ConfigureAwait(false);
        }

        return decoded.To > decoded.From && decoded.To - decoded.From > DirectoryProtocol.MaxProofSpan
            ? DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, $"a proof spans at most {DirectoryProtocol.MaxProofSpan} epochs")
            : await directory.AnswerProofAsync(decoded.From, decoded.To, cancellationToken).ConfigureAwait(false);
    }

    protected override byte[] Busy(string reason) => DirectoryProtocol.Response(DirectoryResponseStatus.Busy, reason);

    protected override byte[] Refusal(string reason) => DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, reason);

    /// <summary>This server's answerer for the directory, else the first linked server's; live ones win.</summary>
    private IDirectoryAnswerer? Find(Digest directoryId)
    {
        IDirectoryAnswerer? found = null;
        foreach (var server in Chain())
        {
            if (server._directories.TryGetValue(directoryId, out var answerer))
            {
                if (answerer.IsLive)
                {
                    return answerer;
                }

                found ??= answerer;
            }
        }

        return found;
    }

    private IEnumerable<DirectoryProtocolServer> Chain()
    {
        for (var server = this; server is not null; server = server._next)
        {
            yield return server;
        }
    }

    private static Dictionary<Digest, IDirectoryAnswerer> Live(IEnumerable<(Digest Id, VkdDirectory Directory)> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        return directories.ToDictionary(d => d.Id, d => (IDirectoryAnswerer)new LiveDirectoryAnswerer(d.Directory));
    }
}
