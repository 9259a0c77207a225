using System.Globalization;

namespace ResolutionGateway.Tools.ReportBench.Cli;

/// <summary>A wrong command line; the message is shown with the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// "--name value", "--name=value" and "--switch" options, checked against the names a command
/// accepts (a trailing '=' in the spec marks an option that takes a value).
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    private Args()
    {
    }

    public static Args Parse(IReadOnlyList<string> argv, string spec)
    {
        var valued = new HashSet<string>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.EndsWith('='))
            {
                valued.Add(item[..^1]);
            }
            else
            {
                switches.Add(item);
            }
        }
        var args = new Args();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (valued.Contains(name))
            {
                if (inline is null)
                {
                    if (i + 1 >= argv.Count)
                    {
                        throw new UsageException($"option --{name} needs a value");
                    }
                    inline = argv[++i];
                }
                args._values[name] = inline;
            }
            else if (switches.Contains(name) && inline is null)
            {
                args._switches.Add(name);
            }
            else
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
        return args;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new UsageException($"--{name} is required");

    public bool Has(string name) => _switches.Contains(name);

    public int Int(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } text)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be an integer from {min} to {max}, got '{text}'");
        }
        return value;
    }

    public DateOnly Date(string name, DateOnly fallback)
    {
        if (Get(name) is not { } text)
        {
            return fallback;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new UsageException($"--{name} must be a date YYYY-MM-DD, got '{text}'");
    }

    public DateOnly Month(string name, DateOnly fallback)
    {
        if (Get(name) is not { } text)
        {
            return fallback;
        }
        return DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new UsageException($"--{name} must be a month YYYY-MM, got '{text}'");
    }
}
