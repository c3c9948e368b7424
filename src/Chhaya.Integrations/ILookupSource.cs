// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Witness.Protocol;

namespace Chhaya.Integrations;

/// <summary>
/// Fetches the latest signed head, lookup proof and quorum certificate for a label. Everything it returns is
/// untrusted; the resolver verifies it. Returns null when the directory has no such label.
/// </summary>
public interface ILookupSource
{
    /// <exception cref="LookupUnavailableException">The source could not be asked or refused to answer.</exception>
    Task<LookupAnswer?> FetchAsync(ReadOnlyMemory<byte> label, CancellationToken cancellationToken);
}

/// <summary>The lookup could not be fetched (network, timeout, refusal); nothing was verified or pinned.</summary>
public sealed class LookupUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
