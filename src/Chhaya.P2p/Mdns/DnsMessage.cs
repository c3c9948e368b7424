// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Safety;

namespace Chhaya.P2p.Mdns;

/// <summary>
/// A DNS message (RFC 1035 §4.1) as mDNS uses it (RFC 6762): a 12-byte header (id, flags, four section counts,
/// all big-endian), then questions, answers, authority and additional records.
/// </summary>
/// <remarks>
/// The decoder bounds everything before it allocates: the message size (<see cref="MaxMessageSize"/>, the mDNS
/// ceiling of RFC 6762 §17), the question and record counts, each record's data length against what is left,
/// TXT string counts, and names through <see cref="DnsName"/>. Trailing bytes after the last record are refused.
/// The encoder writes names without compression; a libp2p mDNS response stays far below any size limit anyway.
/// </remarks>
public sealed record DnsMessage(
    ushort Id,
    ushort Flags,
    IReadOnlyList<DnsQuestion> Questions,
    IReadOnlyList<DnsResourceRecord> Answers,
    IReadOnlyList<DnsResourceRecord> Authorities,
    IReadOnlyList<DnsResourceRecord> Additionals)
{
    public const int MaxMessageSize = 9000;
    public const int MaxQuestions = 32;
    public const int MaxRecords = 128;
    public const int MaxTxtStrings = 64;
    public const ushort ClassIn = 1;

    /// <summary>The QR bit: set in responses.</summary>
    public const ushort ResponseFlag = 0x8000;

    /// <summary>The AA bit: mDNS responses set it (RFC 6762 §18.4).</summary>
    public const ushort AuthoritativeFlag = 0x0400;

    private const int HeaderSize = 12;

    public bool IsResponse => (Flags & ResponseFlag) != 0;

    /// <summary>Answers, authority and additional records, in wire order.</summary>
    public IEnumerable<DnsResourceRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);

    /// <exception cref="MalformedInputException">The message is malformed or over a limit.</exception>
    public static DnsMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageSize)
        {
            throw new MalformedInputException($"DNS message is longer than {MaxMessageSize} bytes");
        }

        if (message.Length < HeaderSize)
        {
            throw new MalformedInputException("DNS message is shorter than its 12-byte header");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (qd > MaxQuestions)
        {
            throw new MalformedInputException($"DNS message has {qd} questions; at most {MaxQuestions} are accepted");
        }

        if (an + ns + ar > MaxRecords)
        {
            throw new MalformedInputException($"DNS message has {an + ns + ar} records; at most {MaxRecords} are accepted");
        }

        var pos = HeaderSize;
        var questions = new List<DnsQuestion>(qd);
        for (var i = 0; i < qd; i++)
        {
            var name = DnsName.Read(message, ref pos);
            Need(message, pos, 4);
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
            pos += 4;
            questions.Add(new DnsQuestion(name, type, cls));
        }

        var answers = ReadRecords(message, ref pos, an);
        var authorities = ReadRecords(message, ref pos, ns);
        var additionals = ReadRecords(message, ref pos, ar);
        if (pos != message.Length)
        {
            throw new MalformedInputException($"DNS message has {message.Length - pos} trailing bytes");
        }

        return new DnsMessage(id, flags, questions, answers, authorities, additionals);
    }

    /// <exception cref="ArgumentException">A name or TXT string is invalid, or the message is over <see cref="MaxMessageSize"/>.</exception>
    public byte[] Encode()
    {
        var output = new List<byte>(512);
        WriteUInt16(output, Id);
        WriteUInt16(output, Flags);
        WriteUInt16(output, checked((ushort)Questions.Count));
        WriteUInt16(output, checked((ushort)Answers.Count));
        WriteUInt16(output, checked((ushort)Authorities.Count));
        WriteUInt16(output, checked((ushort)Additionals.Count));
        foreach (var q in Questions)
        {
            DnsName.Write(q.Name, output);
            WriteUInt16(output, (ushort)q.Type);
            WriteUInt16(output, q.Class);
        }

        foreach (var r in AllRecords)
        {
            WriteRecord(output, r);
        }

        if (output.Count > MaxMessageSize)
        {
            throw new ArgumentException($"DNS message would be {output.Count} bytes, over {MaxMessageSize}");
        }

        return [.. output];
    }

    private static List<DnsResourceRecord> ReadRecords(ReadOnlySpan<byte> message, ref int pos, int count)
    {
        var records = new List<DnsResourceRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = DnsName.Read(message, ref pos);
            Need(message, pos, 10);
            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            var cls = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(pos + 4)..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            Need(message, pos, length);
            var end = pos + length;
            var record = new DnsResourceRecord(name, type, cls, ttl);
            switch (type)
            {
                case DnsRecordType.NamePointer:
                    var rdataPos = pos;
                    var target = DnsName.Read(message[..end], ref rdataPos);
                    if (rdataPos != end)
                    {
                        throw new MalformedInputException("PTR record data holds bytes after its name");
                    }

                    record = record with { PtrTarget = target };
                    break;
                case DnsRecordType.Text:
                    record = record with { TxtStrings = ReadTxt(message[pos..end]) };
                    break;
                default:
                    record = record with { Data = message[pos..end].ToArray() };
                    break;
            }

            pos = end;
            records.Add(record);
        }

        return records;
    }

    private static List<byte[]> ReadTxt(ReadOnlySpan<byte> data)
    {
        var strings = new List<byte[]>();
        var p = 0;
        while (p < data.Length)
        {
            if (strings.Count == MaxTxtStrings)
            {
                throw new MalformedInputException($"TXT record has more than {MaxTxtStrings} strings");
            }

            var length = data[p];
            if (p + 1 + length > data.Length)
            {
                throw new MalformedInputException("TXT string runs past the end of its record");
            }

            strings.Add(data.Slice(p + 1, length).ToArray());
            p += 1 + length;
        }

        return strings;
    }

    private static void WriteRecord(List<byte> output, DnsResourceRecord r)
    {
        DnsName.Write(r.Name, output);
        WriteUInt16(output, (ushort)r.Type);
        WriteUInt16(output, r.Class);
        WriteUInt16(output, (ushort)(r.Ttl >> 16));
        WriteUInt16(output, (ushort)r.Ttl);
        var lengthAt = output.Count;
        WriteUInt16(output, 0);
        if (r.Type == DnsRecordType.NamePointer)
        {
            DnsName.Write(r.PtrTarget ?? throw new ArgumentException("PTR record without a target"), output);
        }
        else if (r.Type == DnsRecordType.Text)
        {
            var strings = r.TxtStrings ?? throw new ArgumentException("TXT record without strings");
            if (strings.Count > MaxTxtStrings)
            {
                throw new ArgumentException($"TXT record has more than {MaxTxtStrings} strings");
            }

            foreach (var s in strings)
            {
                if (s.Length > 255)
                {
                    throw new ArgumentException("TXT string is longer than 255 bytes");
                }

                output.Add((byte)s.Length);
                output.AddRange(s);
            }
        }
        else
        {
            output.AddRange(r.Data.Span);
        }

        var length = output.Count - lengthAt - 2;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("record data is longer than 65535 bytes");
        }

        output[lengthAt] = (byte)(length >> 8);
        output[lengthAt + 1] = (byte)length;
    }

    private static void WriteUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }

    private static void Need(ReadOnlySpan<byte> message, int pos, int count)
    {
        if (message.Length - pos < count)
        {
            throw new MalformedInputException("DNS message is truncated");
        }
    }
}
