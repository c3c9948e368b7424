// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Tests;

internal static class TestPaths
{
    public static string Vector(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Vectors", "libp2p", .. parts]);
}
