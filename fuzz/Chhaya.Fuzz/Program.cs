// SPDX-License-Identifier: AGPL-3.0-or-later
using SharpFuzz;

namespace Chhaya.Fuzz;

/// <summary>
/// Entry point for AFL++ (<c>afl-fuzz ... -- Chhaya.Fuzz NAME</c>) and for replaying a corpus
/// (<c>Chhaya.Fuzz NAME --replay DIR</c>), which the test suite also uses.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var targets = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IFuzzer).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Select(t => (IFuzzer)Activator.CreateInstance(t)!)
            .ToDictionary(f => f.Name, StringComparer.Ordinal);

        if (args.Length == 0 || !targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine("usage: Chhaya.Fuzz TARGET [--replay DIR]");
            Console.Error.WriteLine("targets: " + string.Join(", ", targets.Keys.Order(StringComparer.Ordinal)));
            return 2;
        }

        if (args.Length == 3 && args[1] == "--replay")
        {
            foreach (var file in Directory.EnumerateFiles(args[2]))
            {
                target.FuzzTarget(File.ReadAllBytes(file));
            }

            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.FuzzTarget(buffer.ToArray());
        });
        return 0;
    }
}
