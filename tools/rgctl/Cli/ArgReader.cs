using System.Globalization;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>
/// Minimal command-line parser. Options are declared per command as a spec string such as
/// <c>"merchant= amount= json"</c>: a trailing '=' means the option takes a value, otherwise it is a
/// switch. <c>--name value</c> and <c>--name=value</c> are both accepted; <c>--</c> ends options.
/// The connection options <c>--url</c> and <c>--key</c> are accepted by every command.
/// </summary>
internal sealed class ArgReader
{
    private const string GlobalSpec = "url= key=";

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private ArgReader(string command)
    {
        Command = command;
    }

    /// <summary>The command name, e.g. "open" or "keys create", for error messages.</summary>
    public string Command { get; }

    public IReadOnlyList<string> Positionals => _positionals;

    public static ArgReader Parse(string command, IReadOnlyList<string> args, string spec)
    {
        var valueOptions = new HashSet<string>(StringComparer.Ordinal);
        var switchOptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in $"{GlobalSpec} {spec}".Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.EndsWith('='))
            {
                valueOptions.Add(item[..^1]);
            }
            else
            {
                switchOptions.Add(item);
            }
        }

        var reader = new ArgReader(command);
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                if (arg == "--" && !optionsEnded)
                {
                    optionsEnded = true;
                    continue;
                }

                reader._positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inlineValue = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (valueOptions.Contains(name))
            {
                var value = inlineValue;
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"option --{name} needs a value", command);
                    }

                    value = args[++i];
                }

                if (!reader._values.TryGetValue(name, out var list))
                {
                    list = [];
                    reader._values[name] = list;
                }

                list.Add(value);
            }
            else if (switchOptions.Contains(name))
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"option --{name} takes no value", command);
                }

                reader._switches.Add(name);
            }
            else
            {
                throw new UsageException($"unknown option --{name} for 'rgctl {command}'", command);
            }
        }

        return reader;
    }

    public bool Has(string name) => _switches.Contains(name);

    /// <summary>The option's value (the last one when repeated), or null.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string Require(string name) =>
        Get(name) ?? throw new UsageException($"missing required option --{name}", Command);

    public string RequestId() => Get("request-id") ?? Guid.NewGuid().ToString();

    public long? GetInt64(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be an integer, got '{text}'", Command);
    }

    public int? GetInt32(string name)
    {
        var value = GetInt64(name);
        return value is null ? null
            : value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw new UsageException($"--{name} is out of range", Command);
    }

    public T? GetEnum<T>(string name)
        where T : struct, System.Enum
    {
        var text = Get(name);
        return text is null ? null : EnumNames.Parse<T>(name, text, Command);
    }

    public T RequireEnum<T>(string name)
        where T : struct, System.Enum => EnumNames.Parse<T>(name, Require(name), Command);

    public DateTimeOffset? GetTime(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var value)
            ? value
            : throw new UsageException($"--{name} must be an ISO 8601 time (e.g. 2025-11-21T14:30:00+08:00), got '{text}'", Command);
    }

    /// <summary>An amount in minor units as Money, or null when the option is absent.</summary>
    public Money? GetMoney(string name, string currency)
    {
        var minor = GetInt64(name);
        return minor is null ? null : new Money { CurrencyCode = currency, MinorUnits = minor.Value };
    }

    public string Currency() => (Get("currency") ?? "CNY").ToUpperInvariant();

    /// <summary>Parses every <c>--evidence URI,SHA256,CONTENT_TYPE,SIZE</c>.</summary>
    public IEnumerable<EvidenceRef> Evidence()
    {
        foreach (var text in GetAll("evidence"))
        {
            // Split from the right: the URI itself may contain commas.
            var parts = new string[4];
            var rest = text;
            for (var i = 3; i > 0; i--)
            {
                var comma = rest.LastIndexOf(',');
                if (comma < 0)
                {
                    throw new UsageException($"--evidence must be URI,SHA256,CONTENT_TYPE,SIZE, got '{text}'", Command);
                }

                parts[i] = rest[(comma + 1)..];
                rest = rest[..comma];
            }

            parts[0] = rest;
            if (!long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
            {
                throw new UsageException($"--evidence size must be an integer, got '{parts[3]}'", Command);
            }

            yield return new EvidenceRef { Uri = parts[0], Sha256 = parts[1], ContentType = parts[2], SizeBytes = size };
        }
    }

    public string Positional(int index, string label) =>
        index < _positionals.Count ? _positionals[index] : throw new UsageException($"missing {label}", Command);

    /// <summary>Fails when more than <paramref name="max"/> positional arguments were given.</summary>
    public void AllowPositionals(int max)
    {
        if (_positionals.Count > max)
        {
            throw new UsageException($"unexpected argument '{_positionals[max]}'", Command);
        }
    }

    /// <summary>The dispute id, from <c>--dispute-id</c> or the first positional argument.</summary>
    public string DisputeId()
    {
        AllowPositionals(1);
        var fromOption = Get("dispute-id");
        if (fromOption is not null && _positionals.Count > 0)
        {
            throw new UsageException("give the dispute id either as argument or as --dispute-id, not both", Command);
        }

        return fromOption ?? Positional(0, "DISPUTE_ID (argument or --dispute-id)");
    }
}
