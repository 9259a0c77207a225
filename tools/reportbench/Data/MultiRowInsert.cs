using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace ResolutionGateway.Tools.ReportBench.Data;

/// <summary>
/// Turns a one-row "INSERT … VALUES (@A, @B, …)" statement of the application into a multi-row
/// statement with positional parameters, and reads each row's values from the application's own
/// parameter object (e.g. DisputeSql.RowParameters) by the names the statement uses. So a bulk
/// load writes exactly the columns and values the service writes, only many rows per round trip.
/// </summary>
internal sealed partial class MultiRowInsert
{
    private readonly string _head;
    private readonly string _tuple;
    private readonly ConcurrentDictionary<int, string> _sql = new();

    public MultiRowInsert(string singleRowSql)
    {
        var at = singleRowSql.LastIndexOf("VALUES", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException("not an INSERT … VALUES statement", nameof(singleRowSql));
        }
        _head = singleRowSql[..at] + "VALUES ";
        var tuple = singleRowSql[(at + "VALUES".Length)..].Trim();
        if (!tuple.StartsWith('(') || !tuple.EndsWith(')'))
        {
            throw new ArgumentException("VALUES must be one parenthesised row", nameof(singleRowSql));
        }
        Names = ParameterPattern().Matches(tuple).Select(m => m.Groups[1].Value).ToArray();
        _tuple = ParameterPattern().Replace(tuple, "?");
    }

    /// <summary>The parameter names of the one-row statement, in column order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The statement for <paramref name="rows"/> rows.</summary>
    public string Sql(int rows) => _sql.GetOrAdd(rows, n =>
    {
        var sb = new StringBuilder(_head.Length + (n * (_tuple.Length + 2)));
        sb.Append(_head);
        for (var i = 0; i < n; i++)
        {
            sb.Append(i == 0 ? "\n" : ",\n").Append(_tuple);
        }
        return sb.ToString();
    });

    /// <summary>One row's values in column order, read from a parameter object by property name.</summary>
    public object?[] Values(object parameters, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var getters = Getters.GetOrAdd(parameters.GetType(), t => t.GetProperties().ToDictionary(p => p.Name, StringComparer.Ordinal));
        var values = new object?[Names.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var name = Names[i];
            if (extra is not null && extra.TryGetValue(name, out var v))
            {
                values[i] = v;
            }
            else if (getters.TryGetValue(name, out var p))
            {
                values[i] = p.GetValue(parameters);
            }
            else
            {
                throw new InvalidOperationException($"parameter @{name} is not a property of {parameters.GetType().Name}");
            }
        }
        return values;
    }

    /// <summary>Runs one multi-row statement.</summary>
    public async Task<int> ExecuteAsync(MySqlConnection c, MySqlTransaction? tx, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        await using var cmd = new MySqlCommand(Sql(rows.Count), c, tx);
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                cmd.Parameters.Add(new MySqlParameter { Value = value ?? DBNull.Value });
            }
        }
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> Getters = new();

    [GeneratedRegex(@"@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterPattern();
}
