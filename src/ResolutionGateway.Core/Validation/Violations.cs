using System.Text.RegularExpressions;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;

namespace ResolutionGateway.Core.Validation;

/// <summary>Collects field violations and throws them together, so a client fixes everything in one round trip.</summary>
public sealed partial class Violations
{
    /// <summary>Longest free text (descriptions, messages, notes).</summary>
    public const int MaxText = 2000;
    /// <summary>Most evidence references on one message or dispute.</summary>
    public const int MaxEvidence = 10;
    /// <summary>Largest evidence file, 100 MiB.</summary>
    public const long MaxEvidenceBytes = 100L * 1024 * 1024;

    private readonly List<FieldViolation> _items = [];

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _items.Count == 0;

    /// <summary>Adds a violation.</summary>
    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    /// <summary>Throws <see cref="ValidationException"/> if anything was added.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count > 0)
        {
            throw new ValidationException(_items.ToArray());
        }
    }

    /// <summary>Required text of bounded length.</summary>
    public void RequiredText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "required");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"at most {maxLength} characters");
        }
    }

    /// <summary>Optional text of bounded length.</summary>
    public void OptionalText(string? value, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"at most {maxLength} characters");
        }
    }

    /// <summary>An identifier chosen by an operator or a client: 1-64 of [A-Za-z0-9_.:-].</summary>
    public void Identifier(string? value, string field, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Add(field, "required");
            }
        }
        else if (!IdentifierPattern().IsMatch(value))
        {
            Add(field, "1-64 characters of A-Z a-z 0-9 _ . : -");
        }
    }

    /// <summary>An idempotency key: 1-64 printable ASCII characters.</summary>
    public void RequestId(string? value, string field = "request_id")
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "required (idempotency key, e.g. a UUID)");
        }
        else if (value.Length > 64 || value.Any(c => c < 0x21 || c > 0x7e))
        {
            Add(field, "1-64 printable ASCII characters");
        }
    }

    /// <summary>A GB/T 2260 region code: 6 digits, province part 11-82.</summary>
    public void RegionCode(string? value, string field, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Add(field, "required");
            }
        }
        else if (!IsRegionCode(value))
        {
            Add(field, "a 6-digit GB/T 2260 region code, e.g. 330106");
        }
    }

    /// <summary>True for a plausible GB/T 2260 code.</summary>
    public static bool IsRegionCode(string value) =>
        value.Length == 6 && value.All(char.IsAsciiDigit) && int.Parse(value.AsSpan(0, 2)) is >= 11 and <= 82;

    /// <summary>A region prefix (2, 4 or 6 digits) as used in regulator scopes and report filters.</summary>
    public static bool IsRegionPrefix(string value) =>
        value.Length is 2 or 4 or 6 && value.All(char.IsAsciiDigit) && int.Parse(value.AsSpan(0, 2)) is >= 11 and <= 82;

    /// <summary>Largest amount accepted anywhere: CNY 10 billion in fen. Keeps statutory multiples far from overflow.</summary>
    public const long MaxMinorUnits = 1_000_000_000_000;

    /// <summary>True for an assigned ISO 4217 code (<see cref="Iso4217"/>).</summary>
    public static bool IsCurrency(string? code) => Iso4217.IsAssigned(code);

    /// <summary>Currency code and an amount from 0 to <see cref="MaxMinorUnits"/>.</summary>
    public void Money(Money? money, string field, bool required)
    {
        if (money is null)
        {
            if (required)
            {
                Add(field, "required");
            }
            return;
        }
        if (!IsCurrency(money.Currency))
        {
            Add(field + ".currency_code", "an assigned ISO 4217 currency code in upper case, e.g. CNY");
        }
        if (money.MinorUnits < 0)
        {
            Add(field + ".minor_units", "must not be negative");
        }
        else if (money.MinorUnits > MaxMinorUnits)
        {
            Add(field + ".minor_units", $"at most {MaxMinorUnits}");
        }
    }

    /// <summary>Evidence references: count, URI, digest, type and size.</summary>
    public void Evidence(IReadOnlyList<EvidenceRef> evidence, string field)
    {
        if (evidence.Count > MaxEvidence)
        {
            Add(field, $"at most {MaxEvidence} evidence references");
            return;
        }
        for (var i = 0; i < evidence.Count; i++)
        {
            var e = evidence[i];
            var f = $"{field}[{i}]";
            if (string.IsNullOrEmpty(e.Uri) || e.Uri.Length > 2048 || !Uri.TryCreate(e.Uri, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "s3" or "oss"))
            {
                Add(f + ".uri", "an absolute https, s3 or oss URI of at most 2,048 characters");
            }
            if (!Sha256Pattern().IsMatch(e.Sha256 ?? ""))
            {
                Add(f + ".sha256", "64 lower-case hex characters");
            }
            RequiredText(e.ContentType, f + ".content_type", 100);
            if (e.SizeBytes is < 1 or > MaxEvidenceBytes)
            {
                Add(f + ".size_bytes", $"1 to {MaxEvidenceBytes} bytes");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
