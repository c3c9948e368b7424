// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;

namespace Chhaya.Directory;

/// <summary>What a client is configured to trust about one directory: its id, hash suite and keys.</summary>
public sealed record DirectoryTrust(
    Digest DirectoryId,
    VkdConfiguration Configuration,
    ReadOnlyMemory<byte> VrfPublicKey,
    ReadOnlyMemory<byte> SigningPublicKey);
