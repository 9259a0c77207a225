using System.Buffers;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ResolutionGateway.Grpc;

/// <summary>
/// Finds which field of a request protobuf could not read, by walking its wire encoding against the
/// message descriptor: the first string field holding invalid UTF-8, or the field whose encoding is
/// cut short or malformed. Runs only for requests that already failed to parse, so its cost is paid
/// by malformed calls alone.
/// </summary>
public static class MalformedFieldLocator
{
    // protobuf's own default recursion limit.
    private const int MaxDepth = 100;

    /// <summary>The field path ("order.line_items[1].name") where reading fails, or null when not known.</summary>
    public static string? Locate(MessageDescriptor descriptor, ReadOnlySequence<byte> payload) =>
        Walk(descriptor, payload.ToArray(), "", 0);

    private static string? Walk(MessageDescriptor descriptor, byte[] bytes, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            return Known(prefix);
        }
        var input = new CodedInputStream(bytes);
        var seen = new Dictionary<int, int>();
        while (true)
        {
            string? path = null;
            try
            {
                var tag = input.ReadTag();
                if (tag == 0)
                {
                    return null;
                }
                var field = descriptor.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
                if (field is null)
                {
                    input.SkipLastField();
                    continue;
                }
                var index = seen.GetValueOrDefault(field.FieldNumber);
                seen[field.FieldNumber] = index + 1;
                path = PathOf(prefix, field, index);
                if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited
                    || field.FieldType is not (FieldType.String or FieldType.Message))
                {
                    input.SkipLastField();
                    continue;
                }
                var value = input.ReadBytes();
                if (field.FieldType == FieldType.String)
                {
                    if (!Utf8.IsValid(value.Span))
                    {
                        return path;
                    }
                }
                else if (Walk(field.MessageType, value.ToByteArray(), path, depth + 1) is { } inner)
                {
                    return inner;
                }
            }
            catch (InvalidProtocolBufferException)
            {
                return path ?? Known(prefix);
            }
        }
    }

    private static string? Known(string prefix) => prefix.Length > 0 ? prefix : null;

    private static string PathOf(string prefix, FieldDescriptor field, int index)
    {
        var name = field.IsRepeated && !field.IsMap ? $"{field.Name}[{index}]" : field.Name;
        return prefix.Length == 0 ? name : prefix + "." + name;
    }
}
