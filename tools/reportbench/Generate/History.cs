using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>The disputes opened on one reporting day, in opening order.</summary>
internal sealed record DayBatch(int Day, IReadOnlyList<SimulatedDispute> Disputes);

/// <summary>
/// How many disputes open on each day (weekly rhythm, shopping festivals, the Spring Festival lull,
/// the scheme's growth over the year), at what hours, and their simulation, day by day. Each day
/// has its own seeded generator, so days can be made in parallel and the history is the same for
/// the same seed whatever the thread count.
/// </summary>
internal sealed class History
{
    private static readonly double[] HourWeights =
    [
        1.5, 0.8, 0.4, 0.25, 0.2, 0.3, 0.8, 1.8, 3.5, 5.5, 6.5, 6.5,
        6.0, 6.0, 6.5, 6.5, 6.5, 6.0, 6.0, 6.5, 7.0, 7.0, 5.5, 3.5,
    ];

    private static readonly WeightedChoice HourChoice = new(HourWeights);

    private readonly int _seed;
    private readonly Simulator _simulator;
    private readonly int[] _counts;

    public History(int seed, int disputes, int fromDay, int toDay, World world)
    {
        _seed = seed;
        FromDay = fromDay;
        ToDay = toDay;
        Horizon = DateTimeOffset.FromUnixTimeMilliseconds(ReportingCalendar.StartUnixMs(toDay + 1) - 1);
        _simulator = new Simulator(world, Policies, Horizon);
        _counts = Apportion(disputes, Enumerable.Range(0, toDay - fromDay + 1).Select(i => DayWeight(fromDay + i, i, toDay - fromDay + 1)).ToArray());
    }

    /// <summary>The deadlines in force, as configured in appsettings.json (96 h to respond, 7 days to settle; Hangzhou and Hubei have their own policy rows).</summary>
    public static PolicySet Policies { get; } = new(
    [
        new RegionPolicy { RegionPrefix = "", FirstResponse = DeadlineRule.Hours(96), Negotiation = DeadlineRule.Days(7) },
        new RegionPolicy { RegionPrefix = "3301", FirstResponse = DeadlineRule.Hours(96), Negotiation = DeadlineRule.Days(7) },
        new RegionPolicy { RegionPrefix = "42", FirstResponse = DeadlineRule.Hours(96), Negotiation = DeadlineRule.Days(7) },
    ], []);

    public int FromDay { get; }

    public int ToDay { get; }

    /// <summary>The end of the history: nothing happens after it.</summary>
    public DateTimeOffset Horizon { get; }

    public int CountOn(int day) => _counts[day - FromDay];

    /// <summary>The disputes opened on <paramref name="day"/>.</summary>
    public DayBatch Make(int day)
    {
        var rng = new Random(Draw.SubSeed(_seed, day));
        var n = CountOn(day);
        var start = ReportingCalendar.StartUnixMs(day);
        var times = new long[n];
        for (var i = 0; i < n; i++)
        {
            var hour = HourChoice.Next(rng);
            // Whole milliseconds, as the service's clock gives them (Core's Clock.Now truncates to ms).
            times[i] = start + (hour * 3_600_000L) + rng.NextInt64(3_600_000L);
        }
        Array.Sort(times);
        var disputes = new SimulatedDispute[n];
        for (var i = 0; i < n; i++)
        {
            var openedAt = DateTimeOffset.FromUnixTimeMilliseconds(times[i]);
            disputes[i] = _simulator.Run(rng, openedAt);
        }
        return new DayBatch(day, disputes);
    }

    private static double DayWeight(int day, int index, int total)
    {
        var date = ReportingCalendar.ToDate(day);
        var w = date.DayOfWeek switch
        {
            DayOfWeek.Saturday => 1.12,
            DayOfWeek.Sunday => 1.15,
            DayOfWeek.Monday => 1.06,
            _ => 1.0,
        };
        // The scheme grows over the year (more cities and stores join).
        w *= 0.85 + (0.3 * index / Math.Max(1, total - 1));
        // Disputes follow the shopping festivals by a few days and fade out.
        w += Bump(date, 11, 11, 14, 0.9) + Bump(date, 12, 12, 8, 0.3) + Bump(date, 3, 15, 4, 0.5)
            + Bump(date, 6, 18, 10, 0.6) + Bump(date, 10, 1, 8, 0.25);
        // Spring Festival 2026 (Feb 15-23): shops closed, few disputes.
        if (date >= new DateOnly(2026, 2, 15) && date <= new DateOnly(2026, 2, 23))
        {
            w *= 0.6;
        }
        return w;
    }

    private static double Bump(DateOnly date, int month, int dayOfMonth, int length, double amplitude)
    {
        var anchor = new DateOnly(date.Year, month, dayOfMonth);
        var after = date.DayNumber - anchor.DayNumber;
        return after >= 0 && after < length ? amplitude * (1.0 - (after / (double)length)) : 0.0;
    }

    // Integer counts summing exactly to total, proportional to the weights (largest remainder).
    private static int[] Apportion(int total, double[] weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => total * w / sum).ToArray();
        var counts = exact.Select(x => (int)Math.Floor(x)).ToArray();
        var left = total - counts.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - counts[i]).Take(left))
        {
            counts[i]++;
        }
        return counts;
    }
}
