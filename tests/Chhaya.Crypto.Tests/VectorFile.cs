// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;

namespace Chhaya.Crypto.Tests;

/// <summary>Loads a checked-in vector file from the test output directory.</summary>
internal static class VectorFile
{
    public static JsonDocument Load(params string[] relativePath)
    {
        var path = Path.Combine([AppContext.BaseDirectory, "Vectors", .. relativePath]);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>Every test case of a Wycheproof file with its group, checking the declared count.</summary>
    public static IEnumerable<(JsonElement Group, JsonElement Test)> WycheproofCases(JsonDocument document)
    {
        var declared = document.RootElement.GetProperty("numberOfTests").GetInt32();
        var seen = 0;
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                seen++;
                yield return (group, test);
            }
        }

        Assert.Equal(declared, seen);
    }
}

/// <summary>Collects per-case failures so one run reports every failing tcId at once.</summary>
internal sealed class CaseLog
{
    private readonly List<string> _failures = [];

    public int Count { get; private set; }

    public void Check(bool ok, string file, JsonElement test, string what)
    {
        Count++;
        if (!ok)
        {
            _failures.Add($"{file}#{test.GetProperty("tcId").GetInt32()} ({test.Str("result")}): {what}");
        }
    }

    public void AssertAllPassed(int expectedCount)
    {
        Assert.True(_failures.Count == 0, string.Join(Environment.NewLine, _failures));
        Assert.Equal(expectedCount, Count);
    }
}
