// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.Safety;
using Chhaya.Witness.Evidence;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya evidence verify FILE</c>: checks an evidence bundle offline, with nothing but the file.</summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An evidence bundle, e.g. downloaded from /api/v1/equivocations/{sequence}/bundle." };
        var verify = new Command("verify", "Check an evidence bundle offline: exit 0 when it proves misbehaviour, 2 when it does not, 1 when it cannot be read.") { file };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"chhaya: {path.FullName} does not exist.");
                return 1;
            }

            if (path.Length > EvidenceBundle.MaxLength)
            {
                await Console.Error.WriteLineAsync($"chhaya: {path.FullName} is {path.Length} bytes; an evidence bundle is at most {EvidenceBundle.MaxLength}.");
                return 1;
            }

            EvidenceBundle bundle;
            try
            {
                bundle = EvidenceBundle.Decode(await File.ReadAllBytesAsync(path.FullName, cancellationToken));
            }
            catch (MalformedInputException e)
            {
                await Console.Error.WriteLineAsync($"chhaya: {path.Name} is not a valid evidence bundle: {e.Message}");
                return 1;
            }

            Console.WriteLine($"kind:    {EvidenceKinds.Name(bundle.Kind)}");
            Console.WriteLine($"accused: {Convert.ToHexStringLower(bundle.Key)}");
            var problem = bundle.Verify();
            if (problem is null)
            {
                Console.WriteLine("verdict: VALID — the signed statements in this bundle contradict each other as claimed.");
                return 0;
            }

            Console.WriteLine($"verdict: NOT PROVEN — {problem}.");
            return 2;
        });

        return new Command("evidence", "Work with equivocation evidence bundles.") { verify };
    }
}
