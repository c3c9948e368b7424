// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Testing;

namespace Chhaya.Integrations.Tests;

public sealed class FilePinStoreTests
{
    [Fact]
    public async Task Pins_survive_a_reopen()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "pins.bin");
        var alice = ResolverHarness.NewBinding();
        var pending = ResolverHarness.NewBinding();
        using (var store = new FilePinStore(path))
        {
            await store.SetAsync(new PinnedBinding("alice", alice, 7, pending), default);
            await store.SetAsync(new PinnedBinding("bob", ResolverHarness.NewBinding(), 3, null), default);
        }

        using var reopened = new FilePinStore(path);
        var pin = await reopened.GetAsync("alice", default);
        Assert.NotNull(pin);
        Assert.True(pin.Binding.SameIdentityAs(alice));
        Assert.True(pin.Pending!.SameIdentityAs(pending));
        Assert.Equal(7UL, pin.Epoch);
        Assert.True(pin.SendingBlocked);
        Assert.False((await reopened.GetAsync("bob", default))!.SendingBlocked);
        Assert.Null(await reopened.GetAsync("carol", default));
    }

    [Fact]
    public void A_corrupt_file_is_a_typed_error()
    {
        var bytes = FilePinStore.Encode([new PinnedBinding("alice", ResolverHarness.NewBinding(), 1, null)]);
        Assert.Single(FilePinStore.Decode(bytes));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Throws<MalformedInputException>(() => FilePinStore.Decode(bytes.AsSpan(0, cut)));
        }
    }
}
