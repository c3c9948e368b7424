// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Reflection;

namespace Chhaya.Node.Hosting;

/// <summary>The node's version, as <c>chhaya --version</c> prints it.</summary>
public static class NodeVersion
{
    public static string Current { get; } =
        typeof(NodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

/// <summary>When this node process started.</summary>
public sealed class NodeClock(TimeProvider time)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
