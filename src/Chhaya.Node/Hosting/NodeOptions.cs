// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Hosting;

/// <summary>The <c>Node</c> configuration section.</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Node";

    /// <summary>Where the node keeps its identity, database file and admin socket. Empty: the platform default.</summary>
    public string DataDirectory { get; set; } = "";
}

/// <summary>The <c>Http</c> configuration section: limits of the public, read-only listener.</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Requests one client address may make per window before it gets 429.</summary>
    public int RequestsPerWindow { get; set; } = 120;

    /// <summary>Length of the rate-limit window.</summary>
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Largest page any list endpoint returns.</summary>
    public int MaxPageSize { get; set; } = 100;
}

/// <summary>The <c>Telemetry</c> configuration section.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>OTLP collector endpoint (e.g. <c>http://127.0.0.1:4317</c>); empty disables the exporter.</summary>
    public string OtlpEndpoint { get; set; } = "";
}
