// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

/// <summary>Builds directories for tests with fixed keys.</summary>
internal static class ProducerHarness
{
    public static readonly byte[] VrfKey = Convert.FromHexString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

    public static async Task<VkdDirectory> OpenAsync(VkdConfiguration config, IVrfProver prover, IVkdStore? store = null)
    {
        using var commitmentKey = SecretBytes.CopyFrom(new byte[32]);
        using var signing = SecretBytes.CopyFrom(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var id = new Digest(Enumerable.Repeat((byte)0xD1, 32).ToArray());
        return await VkdDirectory.OpenAsync(new VkdDirectoryOptions(config, id, prover, commitmentKey, signing), store ?? new InMemoryVkdStore());
    }

    public static KeyValuePair<byte[], byte[]> Update(string label, string value) =>
        new(System.Text.Encoding.UTF8.GetBytes(label), System.Text.Encoding.UTF8.GetBytes(value));
}
