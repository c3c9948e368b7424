// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Protocol;

/// <summary>
/// What a node answers on <c>/chhaya/vkd/audit/1.0.0</c> for one directory: complete responses
/// (<see cref="DirectoryProtocol"/> status and payload), so each kind of answerer says in its own words
/// why it has nothing.
/// </summary>
internal interface IDirectoryAnswerer
{
    /// <summary>True when the answers come from the running directory itself, not from a follower's history.</summary>
    bool IsLive { get; }

    Task<byte[]> AnswerHeadAsync(ulong epoch, CancellationToken cancellationToken);

    Task<byte[]> AnswerProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken);
}
