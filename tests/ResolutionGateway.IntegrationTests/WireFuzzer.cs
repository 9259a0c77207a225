using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ResolutionGateway.IntegrationTests;

/// <summary>What a fuzz call breaks.</summary>
public enum FuzzCase
{
    /// <summary>Random bytes, not a protobuf encoding.</summary>
    RandomBytes,
    /// <summary>A request cut short at a random byte.</summary>
    Truncated,
    /// <summary>One string field (at any depth) holding invalid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>An enum field holding a number the enum does not define.</summary>
    EnumOutOfRange,
    /// <summary>A Timestamp or Duration outside protobuf's valid range.</summary>
    TimeOutOfRange,
    /// <summary>A 100,000-character string or a 20,000-element repeated field.</summary>
    Oversized,
    /// <summary>Fields of numbers the message does not declare, of every wire type.</summary>
    UnknownFields,
    /// <summary>Well-formed, but every value broken: empty, blank, control characters, too long, negative, extreme.</summary>
    Broken,
}

/// <summary>One generated request: its bytes, what it breaks, and the field the server must name (invalid UTF-8).</summary>
public sealed record FuzzRequest(byte[] Payload, FuzzCase Case, string? ExpectedField);

/// <summary>
/// Generates malformed and broken requests for any message, from its descriptor alone (no generated
/// types), so it covers every RPC of every service without a line per RPC. Values are chosen never to
/// make a valid request: identifiers always hold characters no id allows, enums are 0 or undefined, no
/// real dispute id is used; so any state change it causes is a defect of the service.
/// </summary>
public sealed class WireFuzzer(int seed)
{
    private const int MaxDepth = 3;
    private static readonly FuzzCase[] Cases = Enum.GetValues<FuzzCase>();

    // No entry may be a valid identifier: "null" alone is one (a calendar or channel id), so it keeps a space.
    private static readonly string[] BrokenStrings =
    [
        "", " ", "\t", "\u0000", "a b", "' OR 1=1 --", "\U0001F600", "\u202Eevil", "../../etc/passwd", "<script>",
        "ＡＢＣ", "+1 380 000 1234", "13800001234\u0000", new string('x', 3000), "%00", "null ", "-1 ",
    ];

    private static readonly long[] BrokenNumbers = [-1, 0, 1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 1_000_000_000_001];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x61, 0x80, 0x62],
    ];

    private readonly Random _rng = new(seed);

    /// <summary>A request for <paramref name="message"/>, of a random case.</summary>
    public FuzzRequest Next(MessageDescriptor message)
    {
        var fuzzCase = Cases[_rng.Next(Cases.Length)];
        // Oversized payloads are costly to send: one call in 200.
        if (fuzzCase == FuzzCase.Oversized && _rng.Next(25) != 0)
        {
            fuzzCase = FuzzCase.Broken;
        }
        switch (fuzzCase)
        {
            case FuzzCase.RandomBytes:
                var bytes = new byte[_rng.Next(1, 96)];
                _rng.NextBytes(bytes);
                return new FuzzRequest(bytes, fuzzCase, null);
            case FuzzCase.Truncated:
                var whole = Encode(message, null, 0, null);
                return whole.Length < 2 ? new FuzzRequest([0x0A, 0x05, 0x61], fuzzCase, null)
                    : new FuzzRequest(whole[..(whole.Length - _rng.Next(1, Math.Min(whole.Length, 8)))], fuzzCase, null);
            case FuzzCase.UnknownFields:
                return new FuzzRequest([.. Encode(message, null, 0, null), .. UnknownFields()], fuzzCase, null);
            case FuzzCase.Broken:
                return new FuzzRequest(Encode(message, null, 0, null), fuzzCase, null);
        }
        var targets = Paths(message).Where(p => Fits(p.Chain[^1], fuzzCase)).ToList();
        if (targets.Count == 0)
        {
            return new FuzzRequest(Encode(message, null, 0, null), FuzzCase.Broken, null);
        }
        var target = targets[_rng.Next(targets.Count)];
        var payload = Encode(message, target.Chain, 0, fuzzCase);
        return new FuzzRequest(payload, fuzzCase, fuzzCase == FuzzCase.InvalidUtf8 ? target.Path : null);
    }

    private static bool Fits(FieldDescriptor f, FuzzCase fuzzCase) => fuzzCase switch
    {
        FuzzCase.InvalidUtf8 => f.FieldType == FieldType.String,
        FuzzCase.EnumOutOfRange => f.FieldType == FieldType.Enum,
        FuzzCase.TimeOutOfRange => f.FieldType == FieldType.Message && IsTime(f.MessageType),
        FuzzCase.Oversized => f.IsRepeated || f.FieldType is FieldType.String or FieldType.Bytes,
        _ => false,
    };

    private static bool IsTime(MessageDescriptor m) => m.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration";

    private sealed record FieldPath(string Path, FieldDescriptor[] Chain);

    // Every field reachable within MaxDepth, with its path as the server names it (repeated fields get [0]).
    private static IEnumerable<FieldPath> Paths(MessageDescriptor message, string prefix = "", FieldDescriptor[]? chain = null, int depth = 0)
    {
        foreach (var f in message.Fields.InDeclarationOrder())
        {
            var name = f.IsRepeated && !f.IsMap ? f.Name + "[0]" : f.Name;
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            FieldDescriptor[] c = [.. chain ?? [], f];
            yield return new FieldPath(path, c);
            if (f.FieldType == FieldType.Message && !IsTime(f.MessageType) && depth + 1 < MaxDepth)
            {
                foreach (var inner in Paths(f.MessageType, path, c, depth + 1))
                {
                    yield return inner;
                }
            }
        }
    }

    // Encodes a message of broken values; along chain (when given), the chain's field leads to the target at its end.
    private byte[] Encode(MessageDescriptor message, FieldDescriptor[]? chain, int depth, FuzzCase? special)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        var onChain = chain is not null && depth < chain.Length ? chain[depth] : null;
        foreach (var f in message.Fields.InDeclarationOrder())
        {
            if (f == onChain)
            {
                if (depth == chain!.Length - 1)
                {
                    WriteSpecial(output, f, special!.Value);
                }
                else
                {
                    WriteMessage(output, f, Encode(f.MessageType, chain, depth + 1, special));
                }
                continue;
            }
            if (_rng.Next(3) == 0)
            {
                continue;
            }
            var count = f.IsRepeated ? _rng.Next(0, 3) : 1;
            for (var i = 0; i < count; i++)
            {
                WriteBroken(output, f, depth);
            }
        }
        output.Flush();
        return stream.ToArray();
    }

    private void WriteBroken(CodedOutputStream output, FieldDescriptor f, int depth)
    {
        switch (f.FieldType)
        {
            case FieldType.String:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteString(BrokenStrings[_rng.Next(BrokenStrings.Length)]);
                break;
            case FieldType.Bytes:
                var bytes = new byte[_rng.Next(0, 40)];
                _rng.NextBytes(bytes);
                output.WriteTag(f.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(bytes));
                break;
            case FieldType.Enum:
                // 0 (unspecified) or undefined: never a valid choice.
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteEnum(_rng.Next(2) == 0 ? 0 : 1000 + _rng.Next(1000));
                break;
            case FieldType.Bool:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteBool(_rng.Next(2) == 0);
                break;
            case FieldType.Double:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteDouble(_rng.Next(3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => -1 });
                break;
            case FieldType.Float:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFloat(_rng.Next(2) == 0 ? float.NaN : float.NegativeInfinity);
                break;
            case FieldType.Message:
                WriteMessage(output, f, IsTime(f.MessageType) ? TimeValue(valid: _rng.Next(2) == 0) : depth + 1 < MaxDepth ? Encode(f.MessageType, null, depth + 1, null) : []);
                break;
            case FieldType.Group:
                break;
            default:
                WriteNumber(output, f, BrokenNumbers[_rng.Next(BrokenNumbers.Length)]);
                break;
        }
    }

    private static void WriteNumber(CodedOutputStream output, FieldDescriptor f, long value)
    {
        switch (f.FieldType)
        {
            case FieldType.Fixed32 or FieldType.SFixed32:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFixed32(unchecked((uint)value));
                break;
            case FieldType.Fixed64 or FieldType.SFixed64:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteFixed64(unchecked((ulong)value));
                break;
            case FieldType.SInt32:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteSInt32(unchecked((int)value));
                break;
            case FieldType.SInt64:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteSInt64(value);
                break;
            case FieldType.Int32 or FieldType.UInt32:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteInt32(unchecked((int)value));
                break;
            default:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteInt64(value);
                break;
        }
    }

    private void WriteSpecial(CodedOutputStream output, FieldDescriptor f, FuzzCase special)
    {
        switch (special)
        {
            case FuzzCase.InvalidUtf8:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom([.. "ok"u8, .. InvalidUtf8[_rng.Next(InvalidUtf8.Length)]]));
                break;
            case FuzzCase.EnumOutOfRange:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.Varint);
                output.WriteEnum(_rng.Next(4) switch { 0 => -1, 1 => 9999, 2 => int.MaxValue, _ => int.MinValue });
                break;
            case FuzzCase.TimeOutOfRange:
                WriteMessage(output, f, TimeValue(valid: false));
                break;
            case FuzzCase.Oversized when f.IsRepeated:
                for (var i = 0; i < 20_000; i++)
                {
                    if (f.FieldType == FieldType.Message)
                    {
                        WriteMessage(output, f, []);
                    }
                    else
                    {
                        WriteBroken(output, f, MaxDepth);
                    }
                }
                break;
            case FuzzCase.Oversized:
                output.WriteTag(f.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteString(new string('\u6c49', 100_000));
                break;
        }
    }

    // A Timestamp/Duration body (seconds = 1, nanos = 2): valid, or outside protobuf's range.
    private byte[] TimeValue(bool valid)
    {
        var (seconds, nanos) = valid
            ? (1_700_000_000L, 0)
            : _rng.Next(5) switch
            {
                0 => (253_402_300_800L, 0),
                1 => (-62_135_596_801L, 0),
                2 => (long.MaxValue, 0),
                3 => (long.MinValue, -1),
                _ => (1_700_000_000L, 1_000_000_000),
            };
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt64(seconds);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt32(nanos);
        output.Flush();
        return stream.ToArray();
    }

    private static void WriteMessage(CodedOutputStream output, FieldDescriptor f, byte[] body)
    {
        output.WriteTag(f.FieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(body));
    }

    // Undeclared field numbers of every wire type, a group included.
    private byte[] UnknownFields()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        var number = 500 + _rng.Next(10_000);
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteInt64(long.MinValue);
        output.WriteTag(number + 1, WireFormat.WireType.Fixed32);
        output.WriteFixed32(0xFFFFFFFF);
        output.WriteTag(number + 2, WireFormat.WireType.Fixed64);
        output.WriteFixed64(ulong.MaxValue);
        output.WriteTag(number + 3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(0xFF, 0xFE));
        output.WriteTag(number + 4, WireFormat.WireType.StartGroup);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(7);
        output.WriteTag(number + 4, WireFormat.WireType.EndGroup);
        output.Flush();
        return stream.ToArray();
    }
}
