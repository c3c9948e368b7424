// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Fuzz;

/// <summary>
/// One fuzz target: a decoder fed arbitrary bytes. It may reject the input with the decoder's documented
/// exception type; any other exception, a hang or a crash is a finding.
/// </summary>
public interface IFuzzer
{
    /// <summary>The name used on the command line (<c>chhaya-fuzz NAME</c>).</summary>
    string Name { get; }

    /// <summary>Feeds one input to the target.</summary>
    void FuzzTarget(ReadOnlySpan<byte> input);
}
