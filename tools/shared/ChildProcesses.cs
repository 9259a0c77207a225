using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ResolutionGateway.Tools.Shared;

/// <summary>What the benchmark tools (reportbench, loadgen) need to run gateway processes of their own.</summary>
internal static class ChildProcesses
{
    /// <summary>The repository root (the folder with ResolutionGateway.sln above the working directory or this tool), if found.</summary>
    public static string? RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ResolutionGateway.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }

    /// <summary>A TCP port free on the loopback interface right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>SIGTERM to this child only (by its id), so the host shuts down cleanly; SIGKILL if it has not exited after 15 s.</summary>
    public static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])))
        {
            if (term is not null)
            {
                await term.WaitForExitAsync();
            }
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}

/// <summary>A child process's stdout and stderr, kept for error messages.</summary>
internal sealed class CapturedOutput
{
    private readonly System.Text.StringBuilder _text = new();

    /// <summary>Starts reading the process's redirected output and error streams.</summary>
    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_text)
            {
                _text.AppendLine(line);
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
