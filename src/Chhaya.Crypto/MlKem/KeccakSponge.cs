// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// The sponge construction of FIPS 202 §4 over <see cref="Keccak"/>, with the SHA-3 and SHAKE paddings (§6.1, §6.2):
/// absorb any number of byte strings, then squeeze any number of bytes (incrementally, which SampleNTT needs and
/// .NET's OpenSSL-backed <c>Shake128</c> cannot do on OpenSSL 3.0). A mutable struct: keep it in a local and call
/// <see cref="Clear"/> when it has held a secret.
/// </summary>
internal struct KeccakSponge
{
    /// <summary>SHAKE128 rate in bytes.</summary>
    public const int Shake128Rate = 168;

    /// <summary>SHAKE256 rate in bytes.</summary>
    public const int Shake256Rate = 136;

    /// <summary>SHA3-256 rate in bytes.</summary>
    public const int Sha3_256Rate = 136;

    /// <summary>SHA3-512 rate in bytes.</summary>
    public const int Sha3_512Rate = 72;

    // Domain-separation bits plus the first bit of pad10*1, as one byte (FIPS 202 §6.1: SHA-3 appends 01, SHAKE
    // appends 1111; bits are little-endian within the byte).
    private const byte Sha3Padding = 0x06;
    private const byte ShakePadding = 0x1F;

    private Lanes _state;
    private readonly int _rate;
    private readonly byte _padding;
    private int _offset;
    private bool _squeezing;

    private KeccakSponge(int rate, byte padding)
    {
        _rate = rate;
        _padding = padding;
    }

    public static KeccakSponge Shake128() => new(Shake128Rate, ShakePadding);

    public static KeccakSponge Shake256() => new(Shake256Rate, ShakePadding);

    public static KeccakSponge Sha3_256() => new(Sha3_256Rate, Sha3Padding);

    public static KeccakSponge Sha3_512() => new(Sha3_512Rate, Sha3Padding);

    /// <summary>XORs <paramref name="data"/> into the state, permuting whenever a block is full.</summary>
    public void Absorb(ReadOnlySpan<byte> data)
    {
        if (_squeezing)
        {
            throw new InvalidOperationException("The sponge is already squeezing.");
        }

        Span<ulong> lanes = _state;
        while (!data.IsEmpty)
        {
            if ((_offset & 7) == 0 && data.Length >= 8 && _offset + 8 <= _rate)
            {
                lanes[_offset >> 3] ^= BinaryPrimitives.ReadUInt64LittleEndian(data);
                data = data[8..];
                _offset += 8;
            }
            else
            {
                lanes[_offset >> 3] ^= (ulong)data[0] << (8 * (_offset & 7));
                data = data[1..];
                _offset++;
            }

            if (_offset == _rate)
            {
                Keccak.Permute(lanes);
                _offset = 0;
            }
        }
    }

    /// <summary>Writes the next <paramref name="output"/>.Length bytes of output; the first call pads and finishes absorbing.</summary>
    public void Squeeze(Span<byte> output)
    {
        Span<ulong> lanes = _state;
        if (!_squeezing)
        {
            lanes[_offset >> 3] ^= (ulong)_padding << (8 * (_offset & 7));
            lanes[(_rate - 1) >> 3] ^= 0x80UL << (8 * ((_rate - 1) & 7));
            Keccak.Permute(lanes);
            _offset = 0;
            _squeezing = true;
        }

        while (!output.IsEmpty)
        {
            if (_offset == _rate)
            {
                Keccak.Permute(lanes);
                _offset = 0;
            }

            if ((_offset & 7) == 0 && output.Length >= 8 && _offset + 8 <= _rate)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(output, lanes[_offset >> 3]);
                output = output[8..];
                _offset += 8;
            }
            else
            {
                output[0] = (byte)(lanes[_offset >> 3] >> (8 * (_offset & 7)));
                output = output[1..];
                _offset++;
            }
        }
    }

    /// <summary>Wipes the state (it holds whatever secret was absorbed).</summary>
    public void Clear() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes((Span<ulong>)_state));

    /// <summary>SHA3-256 of the concatenation of two inputs (FIPS 202 §6.1).</summary>
    public static void Sha3_256(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        var sponge = Sha3_256();
        sponge.Absorb(first);
        sponge.Absorb(second);
        sponge.Squeeze(output[..32]);
        sponge.Clear();
    }

    /// <summary>SHA3-512 of the concatenation of two inputs (FIPS 202 §6.1).</summary>
    public static void Sha3_512(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        var sponge = Sha3_512();
        sponge.Absorb(first);
        sponge.Absorb(second);
        sponge.Squeeze(output[..64]);
        sponge.Clear();
    }

    /// <summary>SHAKE256 of the concatenation of two inputs, <paramref name="output"/>.Length bytes (FIPS 202 §6.2).</summary>
    public static void Shake256(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output)
    {
        var sponge = Shake256();
        sponge.Absorb(first);
        sponge.Absorb(second);
        sponge.Squeeze(output);
        sponge.Clear();
    }

    [InlineArray(25)]
    private struct Lanes
    {
        private ulong _lane;
    }
}
