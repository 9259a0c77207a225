using System.Globalization;

namespace ResolutionGateway.Tools.LoadGen.Engine;

/// <summary>
/// CPU time spent by named processes (the gateway nodes, MariaDB, the generator itself) while a
/// phase is measured: user + system time from /proc/PID/stat, read when the measured window opens
/// and when it closes (see <see cref="Load.Window"/>). Divided by the calls of the window it is the
/// CPU each call costs each process, a figure the neighbours on a shared machine barely move
/// (unlike throughput and latency). Linux only; elsewhere it measures nothing.
/// </summary>
public sealed class CpuMeter
{
    private readonly Dictionary<string, Func<int?>> _processes = new(StringComparer.Ordinal);
    private Dictionary<string, long>? _start;
    private Dictionary<string, long>? _end;

    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux this runs on.
    private const double MsPerTick = 10.0;

    /// <summary>Counts <paramref name="pid"/>'s CPU under <paramref name="name"/> (re-resolved at each read, null skips it).</summary>
    public void Watch(string name, Func<int?> pid) => _processes[name] = pid;

    /// <summary>Stops counting <paramref name="name"/>.</summary>
    public void Forget(string name) => _processes.Remove(name);

    /// <summary>The measured window opens.</summary>
    public void Start()
    {
        _start = Read();
        _end = null;
    }

    /// <summary>The measured window closes.</summary>
    public void Stop() => _end = Read();

    /// <summary>Milliseconds of CPU per call for each process of the last window (<c>cpu_ms_per_call_NAME</c>), empty without a closed window.</summary>
    public IEnumerable<KeyValuePair<string, double>> PerCall(long calls)
    {
        if (_start is null || _end is null || calls <= 0)
        {
            yield break;
        }
        foreach (var (name, end) in _end)
        {
            if (_start.TryGetValue(name, out var start))
            {
                yield return new($"cpu_ms_per_call_{name}", Math.Round((end - start) * MsPerTick / calls, 3));
            }
        }
        _start = null;
        _end = null;
    }

    private Dictionary<string, long> Read()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, pid) in _processes)
        {
            if (pid() is { } id && Ticks(id) is { } t)
            {
                ticks[name] = t;
            }
        }
        return ticks;
    }

    /// <summary>utime + stime of a process in clock ticks, or null when it cannot be read.</summary>
    public static long? Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after the parenthesis (state is field 3).
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The pid in a pid file, or null.</summary>
    public static int? PidFile(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
