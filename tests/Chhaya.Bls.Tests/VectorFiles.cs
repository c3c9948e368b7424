// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;

namespace Chhaya.Bls.Tests;

/// <summary>Locates and reads the vector files copied next to the test assembly.</summary>
internal static class VectorFiles
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Vectors");

    /// <summary>Every JSON file of one handler of the BLS signature vectors (v0.1.1 plus the supplement).</summary>
    public static TheoryData<string> SigCases(string handler)
    {
        var data = new TheoryData<string>();
        foreach (var set in new[] { "v0.1.1", "master-supplement" })
        {
            var dir = Path.Combine(Root, "bls12-381-sig", set, handler);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Path.Combine(Root, "bls12-381-sig"), file));
            }
        }

        return data;
    }

    public static JsonElement LoadSig(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "bls12-381-sig", relative)));
        return doc.RootElement.Clone();
    }

    public static JsonElement LoadHashToCurve(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "hash-to-curve", file)));
        return doc.RootElement.Clone();
    }

    /// <summary>Hex with or without a 0x prefix.</summary>
    public static byte[] Hex(string? s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Convert.FromHexString(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s);
    }
}
