using System.Collections.Frozen;

namespace ResolutionGateway.Core.Validation;

/// <summary>
/// The alphabetic codes of ISO 4217 list one (current currencies and funds), 181 codes: the edition
/// shipped by Debian's iso-codes 4.15.0 (<c>/usr/share/iso-codes/json/iso_4217.json</c>, which follows
/// the ISO 4217 maintenance agency's list). To update it, install a newer iso-codes and regenerate
/// this table from that file's "alpha_3" values (tools/README.md, "The ISO 4217 table").
/// </summary>
public static class Iso4217
{
    /// <summary>The edition this table was taken from.</summary>
    public const string Edition = "ISO 4217 list one as in Debian iso-codes 4.15.0";

    /// <summary>Every assigned alphabetic code.</summary>
    public static readonly FrozenSet<string> Codes = FrozenSet.Create(StringComparer.Ordinal,
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
        "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF",
        "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
        "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF",
        "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
        "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
        "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
        "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
        "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
        "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
        "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA",
        "XXX", "YER", "ZAR", "ZMW", "ZWL",
    ]);

    /// <summary>True for an assigned ISO 4217 alphabetic code (upper case, as the standard writes them).</summary>
    public static bool IsAssigned(string? code) => code is { Length: 3 } && Codes.Contains(code);
}
