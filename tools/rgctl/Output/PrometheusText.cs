using System.Globalization;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>
/// The samples of a Prometheus text exposition (version 0.0.4): enough to read a node's own
/// figures. Comment and type lines are skipped; label values are unescaped.
/// </summary>
internal sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    /// <summary>Parses the exposition text.</summary>
    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                var end = ParseLabels(line, brace + 1, labels);
                rest = line[(end + 1)..].Trim();
            }
            else if (space > 0)
            {
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            else
            {
                continue;
            }
            var valueText = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (TryValue(valueText, out var value))
            {
                result._samples.Add((name, labels, value));
            }
        }
        return result;
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="match"/>; null when there is none.</summary>
    public double? Sum(string name, params (string Label, string Value)[] match)
    {
        var found = _samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Label, out var v) && v == m.Value)).ToArray();
        return found.Length == 0 ? null : found.Sum(s => s.Value);
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (i < line.Length && line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            if (eq < 0)
            {
                return line.Length - 1;
            }
            var key = line[i..eq].Trim().TrimStart(',').Trim();
            i = eq + 2; // past ="
            var value = new System.Text.StringBuilder();
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
                i++;
            }
            labels[key] = value.ToString();
            i++; // past the closing quote
            while (i < line.Length && line[i] is ',' or ' ')
            {
                i++;
            }
        }
        return i;
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
