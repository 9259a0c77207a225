using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>Formatting of single values: money, times, enums, actors, free text.</summary>
internal static class Format
{
    public static string Money(Money? money)
    {
        if (money is null)
        {
            return "-";
        }

        var digits = MinorDigits(money.CurrencyCode);
        if (digits == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{money.CurrencyCode} {money.MinorUnits}");
        }

        var scale = digits == 3 ? 1000m : 100m;
        var major = money.MinorUnits / scale;
        return $"{money.CurrencyCode} {major.ToString(digits == 3 ? "0.000" : "0.00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A timestamp as local ISO 8601 ("2025-11-21T14:30:00+08:00"), "-" when absent.</summary>
    public static string Time(Timestamp? time) =>
        time is null
            ? "-"
            : time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Enum<T>(T value)
        where T : struct, System.Enum => EnumNames.Name(value);

    public static string Actor(Actor? actor) =>
        actor is null ? "-"
            : actor.Role == ActorRole.System ? "system"
            : string.IsNullOrEmpty(actor.Id) ? Enum(actor.Role)
            : $"{Enum(actor.Role)}:{actor.Id}";

    public static string Remedy(Remedy remedy, Money? amount) =>
        amount is null ? Enum(remedy) : $"{Enum(remedy)} {Money(amount)}";

    public static string Settlement(Settlement? settlement) =>
        settlement is null ? "-" : Remedy(settlement.Remedy, settlement.Amount);

    /// <summary>Free text on one line, shortened to <paramref name="max"/> characters.</summary>
    public static string OneLine(string text, int max = 80)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max - 3), "...");
    }

    /// <summary>" — "text"" when the note is not empty, else "".</summary>
    public static string Note(string note, string label = "note") =>
        string.IsNullOrWhiteSpace(note) ? string.Empty : $" ({label}: \"{OneLine(note, 60)}\")";

    private static int MinorDigits(string currency) => currency switch
    {
        "JPY" or "KRW" or "VND" or "CLP" or "ISK" => 0,
        "BHD" or "KWD" or "OMR" or "JOD" or "TND" => 3,
        _ => 2,
    };
}
