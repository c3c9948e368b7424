// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Tests;

/// <summary>Loads AKD's published vectors (copied under Vectors/akd with their SOURCE.md).</summary>
internal static class AkdVectors
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Vectors", "akd");

    public static VkdConfiguration Config(string name) => name switch
    {
        "whatsapp_v1" => WhatsAppV1Configuration.Instance,
        "experimental" => ExperimentalConfiguration.Example,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static JsonElement Expectations(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "derived", "test_vector_expectations.json")));
        return doc.RootElement.GetProperty("vectors").GetProperty(name).Clone();
    }

    public static JsonElement MarkerCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "derived", "test_vector_expectations.json")));
        return doc.RootElement.GetProperty("marker_version_cases").GetProperty("cases").Clone();
    }

    public static JsonElement Audit(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "derived", "audit_epoch8_to_9.json")));
        return doc.RootElement.GetProperty("vectors").GetProperty(name).Clone();
    }

    public static byte[] AuditProofBytes(string name) =>
        File.ReadAllBytes(Path.Combine(Root, "derived", $"audit_{name}_epoch8_to_9.pb"));

    /// <summary>The client vector: the YAML documents in order (SOURCE.md, "test_vectors/*.yaml format").</summary>
    public static ClientVector Client(string name)
    {
        var docs = new List<string>();
        var current = new List<string>();
        var started = false;
        foreach (var raw in File.ReadAllLines(Path.Combine(Root, "test_vectors", $"{name}.yaml")))
        {
            var line = raw.TrimEnd();
            if (line == "---")
            {
                if (started)
                {
                    docs.Add(string.Join('\n', current).Trim());
                }

                current.Clear();
                started = true;
                continue;
            }

            if (line.StartsWith('#') || !started)
            {
                continue;
            }

            current.Add(line);
        }

        docs.Add(string.Join('\n', current).Trim());
        static byte[] Hex(string s) => Convert.FromHexString(s.Trim('\'', '"'));
        return new ClientVector(
            Hex(docs[1]),
            new Digest(Hex(docs[2])),
            ulong.Parse(docs[3], System.Globalization.CultureInfo.InvariantCulture),
            Hex(docs[4]),
            Hex(docs[5]),
            Hex(docs[6]),
            Hex(docs[7]));
    }
}

internal sealed record ClientVector(
    byte[] VrfPublicKey,
    Digest RootHash,
    ulong Epoch,
    byte[] Label,
    byte[] LookupProof,
    byte[] HistoryMostRecent1,
    byte[] HistoryComplete);
