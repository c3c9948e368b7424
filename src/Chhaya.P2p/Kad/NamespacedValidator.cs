// SPDX-License-Identifier: AGPL-3.0-or-later

namespace Chhaya.P2p.Kad;

/// <summary>
/// Routes a record key <c>/NAMESPACE/rest</c> to the validator registered for NAMESPACE, as go-libp2p-record's
/// NamespacedValidator and js-libp2p's validators map do. A key without a namespace, or with one nobody
/// registered, is rejected: a DHT node stores nothing it cannot check.
/// </summary>
public sealed class NamespacedValidator : IRecordValidator
{
    /// <summary>Longest namespace accepted.</summary>
    public const int MaxNamespaceLength = 64;

    private readonly Dictionary<string, IRecordValidator> _validators = new(StringComparer.Ordinal);

    /// <summary>A validator for <c>/pk/</c> and the Chhaya signed-record namespace (<see cref="SignedRecord.Namespace"/>).</summary>
    public static NamespacedValidator CreateDefault()
    {
        var v = new NamespacedValidator();
        v.Register(PublicKeyRecordValidator.Namespace, new PublicKeyRecordValidator());
        v.Register(SignedRecord.Namespace, new SignedRecordValidator());
        return v;
    }

    public IReadOnlyCollection<string> Namespaces => _validators.Keys;

    /// <summary>Registers (or replaces) the validator of <paramref name="ns"/> (without slashes, e.g. <c>pk</c>).</summary>
    public void Register(string ns, IRecordValidator validator)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(validator);
        if (ns.Length == 0 || ns.Length > MaxNamespaceLength || ns.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("a namespace is 1 to 64 characters without '/'", nameof(ns));
        }

        _validators[ns] = validator;
    }

    /// <summary>The namespace of <paramref name="key"/>, or null when the key has none.</summary>
    public static string? NamespaceOf(ReadOnlySpan<byte> key)
    {
        if (key.Length < 3 || key[0] != (byte)'/')
        {
            return null;
        }

        var end = key[1..].IndexOf((byte)'/');
        if (end <= 0 || end > MaxNamespaceLength)
        {
            return null;
        }

        var ns = key.Slice(1, end);
        foreach (var b in ns)
        {
            if (b < 0x21 || b > 0x7e)
            {
                return null;
            }
        }

        return System.Text.Encoding.ASCII.GetString(ns);
    }

    public void Validate(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Find(key).Validate(key, value);

    public int Select(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new InvalidRecordException("no records to select from");
        }

        return Find(key).Select(key, values);
    }

    private IRecordValidator Find(ReadOnlySpan<byte> key)
    {
        var ns = NamespaceOf(key) ?? throw new InvalidRecordException("record key has no /namespace/ prefix");
        return _validators.GetValueOrDefault(ns) ?? throw new InvalidRecordException($"no validator for record namespace '{ns}'");
    }
}
