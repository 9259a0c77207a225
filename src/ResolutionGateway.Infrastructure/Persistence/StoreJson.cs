using System.Text.Json;
using System.Text.Json.Serialization;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// JSON for state and event payload columns: enums as names so stored rows read well in SQL;
/// snake_case like the proto.
/// </summary>
public static class StoreJson
{
    /// <summary>The options every store uses.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Serializes a dispute's state.</summary>
    public static string State(Dispute d) => JsonSerializer.Serialize(d, Options);

    /// <summary>Reads a dispute's state.</summary>
    public static Dispute ReadState(string json) =>
        JsonSerializer.Deserialize<Dispute>(json, Options) ?? throw new InvalidDataException("null dispute state");

    /// <summary>Serializes an event's detail (with its "type" discriminator).</summary>
    public static string Detail(EventDetail detail) => JsonSerializer.Serialize(detail, Options);

    /// <summary>Serializes an exported outcome record.</summary>
    public static string Outcome(OutcomeRecord o) => JsonSerializer.Serialize(o, Options);

    /// <summary>Reads an exported outcome record.</summary>
    public static OutcomeRecord ReadOutcome(string json) =>
        JsonSerializer.Deserialize<OutcomeRecord>(json, Options) ?? throw new InvalidDataException("null outcome record");

    /// <summary>Reads an event's detail.</summary>
    public static EventDetail ReadDetail(string json) =>
        JsonSerializer.Deserialize<EventDetail>(json, Options) ?? throw new InvalidDataException("null event detail");
}

/// <summary>Unix-millisecond conversions for time columns.</summary>
public static class UnixMs
{
    /// <summary>To a column value.</summary>
    public static long From(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    /// <summary>From a column value.</summary>
    public static DateTimeOffset To(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
