// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Storage;

namespace Chhaya.Vkd.Tests;

/// <summary>The storage conformance suite on the in-memory backend; other backends run the same cases.</summary>
public class StoreConformanceTests
{
    public static TheoryData<string> Cases => new(VkdStoreConformance.CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task In_memory_store_conforms(string caseName) => VkdStoreConformance.RunAsync(caseName, new InMemoryVkdStore());

    [Fact]
    public async Task Unknown_case_is_an_error() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => VkdStoreConformance.RunAsync("nope", new InMemoryVkdStore()));
}
