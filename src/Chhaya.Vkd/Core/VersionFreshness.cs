// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Core;

/// <summary>
/// Whether a leaf marks a version as current (fresh) or retired (stale). The byte value enters the VRF
/// input, so fresh and stale leaves of the same version sit at unrelated positions.
/// </summary>
public enum VersionFreshness : byte
{
    /// <summary>The version has been superseded.</summary>
    Stale = 0,

    /// <summary>The version was published.</summary>
    Fresh = 1,
}
