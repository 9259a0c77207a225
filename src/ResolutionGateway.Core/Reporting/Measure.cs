using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// One entry of the measure table (<see cref="Measures"/>): a part of the vector every dispute
/// contributes to its rollup rows, the rollup columns that hold its sums, and how a dispute's state
/// fills it in. A counter is one column; a histogram is one column per <see cref="DurationHistogram"/>
/// bucket, and a dispute adds 1 to the bucket of its duration.
/// </summary>
public sealed class Measure
{
    private readonly Func<Dispute, long>? _value;
    private readonly Func<Dispute, long?>? _durationMs;

    private Measure(int index, string name, IReadOnlyList<string> columns, bool reported, Func<Dispute, long>? value, Func<Dispute, long?>? durationMs)
    {
        Index = index;
        Name = name;
        Columns = columns;
        Reported = reported;
        _value = value;
        _durationMs = durationMs;
    }

    /// <summary>Position of the measure's (first) column in the vector.</summary>
    public int Index { get; }

    /// <summary>
    /// The measure's name. For a reported measure it is also the resolution.v1.StatsRow field that
    /// carries its sum; the other measures (a rating sum, the histograms) only feed derived figures.
    /// </summary>
    public string Name { get; }

    /// <summary>Its rollup columns, in vector order: one for a counter, one per bucket for a histogram.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of vector entries (and rollup columns) the measure takes.</summary>
    public int Width => Columns.Count;

    /// <summary>True when its sum is a field of resolution.v1.StatsRow named <see cref="Name"/>.</summary>
    public bool Reported { get; }

    /// <summary>True for a histogram of durations (see <see cref="DurationHistogram"/>).</summary>
    public bool IsHistogram => _durationMs is not null;

    /// <summary>A counter: <paramref name="value"/> is what one dispute in its current state adds.</summary>
    internal static Measure Counter(int index, string name, string column, bool reported, Func<Dispute, long> value) =>
        new(index, name, [column], reported, value, null);

    /// <summary>
    /// A histogram with columns "<paramref name="columnPrefix"/>00", "…01", …: a dispute adds 1 to the
    /// bucket of <paramref name="durationMs"/>, or nothing when that is null. Never reported as is.
    /// </summary>
    internal static Measure Histogram(int index, string name, string columnPrefix, Func<Dispute, long?> durationMs) =>
        new(index, name, Enumerable.Range(0, DurationHistogram.Buckets).Select(b => $"{columnPrefix}{b:00}").ToArray(), false, null, durationMs);

    /// <summary>Writes what <paramref name="d"/> contributes into the measure's entries of <paramref name="vector"/>.</summary>
    public void Contribute(Dispute d, Span<long> vector)
    {
        if (_value is not null)
        {
            vector[Index] = _value(d);
        }
        else if (_durationMs!(d) is { } ms)
        {
            vector[Index + DurationHistogram.BucketOf(ms)] = 1;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
