namespace ResolutionGateway.Core.Validation;

/// <summary>Mainland China mobile numbers: validation, normalisation and masking.</summary>
public static class Mobile
{
    /// <summary>
    /// Normalises a mainland China mobile number to its 11 digits; returns null for anything else.
    /// Accepted spellings (the contract in consumer.mobile): 11 digits starting 1 then 3-9, optionally
    /// prefixed with <c>+86</c> or <c>86</c>, single spaces or hyphens between digits, surrounding
    /// spaces. Any other '+' prefix (a foreign number), a doubled or leading separator, or any other
    /// character is refused rather than guessed at: "+1 380 000 1234" is not read as 13800001234.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 32)
        {
            return null;
        }
        var s = input.AsSpan().Trim(' ');
        var prefix = s.StartsWith("+86") ? 3 : s.StartsWith("86") ? 2 : 0;
        if (prefix == 0 && s.StartsWith("+"))
        {
            return null;
        }
        s = s[prefix..];
        // One separator may follow the country code ("+86 138…", "86-138…").
        if (prefix > 0 && s.Length > 0 && s[0] is ' ' or '-')
        {
            s = s[1..];
        }
        Span<char> digits = stackalloc char[11];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return null;
                }
                digits[n++] = c;
            }
            // A separator only between two digits.
            else if (c is not (' ' or '-') || i == 0 || i == s.Length - 1 || !char.IsAsciiDigit(s[i - 1]) || !char.IsAsciiDigit(s[i + 1]))
            {
                return null;
            }
        }
        if (n != 11 || digits[0] != '1' || digits[1] < '3')
        {
            return null;
        }
        return new string(digits);
    }

    /// <summary>"13800001234" becomes "138****1234": what merchants see.</summary>
    public static string Mask(string mobile) =>
        mobile.Length == 11 ? string.Concat(mobile.AsSpan(0, 3), "****", mobile.AsSpan(7)) : new string('*', mobile.Length);
}
