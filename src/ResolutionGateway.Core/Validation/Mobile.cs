namespace ResolutionGateway.Core.Validation;

/// <summary>Mainland China mobile numbers: validation, normalisation and masking.</summary>
public static class Mobile
{
    /// <summary>
    /// Normalises "+86 138-0000-1234" style input to 11 digits; returns null when it is not a
    /// mainland mobile number (11 digits, 1 then 3-9).
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }
        Span<char> digits = stackalloc char[32];
        var n = 0;
        foreach (var c in input)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
            else if (c is not (' ' or '-' or '+'))
            {
                return null;
            }
        }
        var number = digits[..n];
        if (number.Length == 13 && number.StartsWith("86"))
        {
            number = number[2..];
        }
        if (number.Length != 11 || number[0] != '1' || number[1] < '3')
        {
            return null;
        }
        return new string(number);
    }

    /// <summary>"13800001234" becomes "138****1234": what merchants see.</summary>
    public static string Mask(string mobile) =>
        mobile.Length == 11 ? string.Concat(mobile.AsSpan(0, 3), "****", mobile.AsSpan(7)) : new string('*', mobile.Length);
}
