// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using Chhaya.Safety;

namespace Chhaya.Integrations;

/// <summary>
/// Pins kept in one file, rewritten whole through a temporary file and an atomic rename, so a crash leaves
/// either the old or the new set. Layout, repeated until the end of the file:
/// <code>
/// pin = u16be handle_len ‖ handle (UTF-8) ‖ u64be epoch ‖ u8 binding_len ‖ binding ‖ u8 pending_len ‖ pending (0 = none)
/// </code>
/// The file is local state, but it is still parsed with bounds: a corrupt file is a
/// <see cref="MalformedInputException"/>, never a pin.
/// </summary>
public sealed class FilePinStore : IPinStore, IDisposable
{
    /// <summary>Most pins one file holds, bounding what loading it can allocate.</summary>
    public const int MaxPins = 100_000;

    private readonly string _path;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Dictionary<string, PinnedBinding>? _pins;

    public FilePinStore(string path) => _path = path ?? throw new ArgumentNullException(nameof(path));

    public async Task<PinnedBinding?> GetAsync(string handle, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = await LoadAsync(cancellationToken).ConfigureAwait(false);
            return pins.TryGetValue(handle, out var pin) ? pin : null;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task SetAsync(PinnedBinding pin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pins = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (!pins.ContainsKey(pin.Handle) && pins.Count >= MaxPins)
            {
                throw new InvalidOperationException($"The pin file holds at most {MaxPins} pins.");
            }

            pins[pin.Handle] = pin;
            var temporary = _path + ".tmp";
            await File.WriteAllBytesAsync(temporary, Encode(pins.Values), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private async Task<Dictionary<string, PinnedBinding>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_pins is null)
        {
            _pins = File.Exists(_path)
                ? Decode(await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false))
                : new Dictionary<string, PinnedBinding>(StringComparer.Ordinal);
        }

        return _pins;
    }

    internal static byte[] Encode(IEnumerable<PinnedBinding> pins)
    {
        using var output = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        foreach (var pin in pins)
        {
            var handle = Encoding.UTF8.GetBytes(pin.Handle);
            BinaryPrimitives.WriteUInt16BigEndian(number, (ushort)handle.Length);
            output.Write(number[..2]);
            output.Write(handle);
            BinaryPrimitives.WriteUInt64BigEndian(number, pin.Epoch);
            output.Write(number);
            WriteBinding(output, pin.Binding);
            WriteBinding(output, pin.Pending);
        }

        return output.ToArray();
    }

    /// <exception cref="MalformedInputException">The bytes are not a well-formed pin file.</exception>
    internal static Dictionary<string, PinnedBinding> Decode(ReadOnlySpan<byte> data)
    {
        var pins = new Dictionary<string, PinnedBinding>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            if (pins.Count >= MaxPins)
            {
                throw new MalformedInputException($"The pin file holds more than {MaxPins} pins.");
            }

            var handleLength = BinaryPrimitives.ReadUInt16BigEndian(Take(ref data, 2));
            if (handleLength is 0 or > HandshakeResolver.MaxHandleLength)
            {
                throw new MalformedInputException($"A pinned handle of {handleLength} bytes is out of bounds.");
            }

            string handle;
            try
            {
                handle = new UTF8Encoding(false, true).GetString(Take(ref data, handleLength));
            }
            catch (DecoderFallbackException)
            {
                throw new MalformedInputException("A pinned handle is not UTF-8.");
            }

            var epoch = BinaryPrimitives.ReadUInt64BigEndian(Take(ref data, 8));
            var binding = ReadBinding(ref data) ?? throw new MalformedInputException($"The pin for {handle} has no binding.");
            pins[handle] = new PinnedBinding(handle, binding, epoch, ReadBinding(ref data));
        }

        return pins;
    }

    private static void WriteBinding(MemoryStream output, BindingRecord? binding)
    {
        var bytes = binding?.Encode() ?? [];
        output.WriteByte((byte)bytes.Length);
        output.Write(bytes);
    }

    private static BindingRecord? ReadBinding(ref ReadOnlySpan<byte> data)
    {
        int length = Take(ref data, 1)[0];
        return length == 0 ? null : BindingRecord.Decode(Take(ref data, length));
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> data, int count)
    {
        if (data.Length < count)
        {
            throw new MalformedInputException("The pin file ends in the middle of a pin.");
        }

        var taken = data[..count];
        data = data[count..];
        return taken;
    }
}
