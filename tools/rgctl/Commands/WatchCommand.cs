using System.Runtime.InteropServices;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>watch DISPUTE_ID (WatchDispute) and watch --all (WatchDisputes), until Ctrl-C.</summary>
internal static class WatchCommand
{
    public static async Task<int> Run(string[] argv)
    {
        var args = ArgReader.Parse("watch", argv, "all after-seq= cursor= now");
        var all = args.Has("all");
        if (all)
        {
            args.AllowPositionals(0);
            if (args.Get("after-seq") is not null)
            {
                throw new UsageException("--after-seq is for a single dispute; use --cursor with --all", args.Command);
            }

            if (args.Has("now") && args.Get("cursor") is not null)
            {
                throw new UsageException("--now and --cursor exclude each other", args.Command);
            }
        }
        else
        {
            args.AllowPositionals(1);
            if (args.Get("cursor") is not null || args.Has("now"))
            {
                throw new UsageException("--cursor and --now need --all", args.Command);
            }
        }

        var disputeId = all ? null : args.Positional(0, "DISPUTE_ID (or --all)");
        using var connection = Connection.Open(args);
        var client = connection.Disputes();

        using var cts = new CancellationTokenSource();
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cts.Cancel();
        }

        Console.CancelKeyPress += OnCancelKey;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cts.Cancel();
        });
        try
        {
            if (disputeId is not null)
            {
                await WatchOne(client, disputeId, args.GetInt64("after-seq") ?? 0, cts.Token);
            }
            else
            {
                await WatchAll(client, args.Get("cursor") ?? string.Empty, args.Has("now"), cts.Token);
            }

            Console.Error.WriteLine("(stream ended by the server)");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("(stopped)");
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("(stopped)");
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKey;
        }

        return 0;
    }

    private static async Task WatchOne(DisputeService.DisputeServiceClient client, string disputeId, long afterSeq, CancellationToken ct)
    {
        using var call = client.WatchDispute(new WatchDisputeRequest { DisputeId = disputeId, AfterSeq = afterSeq }, cancellationToken: ct);
        Printer.PrintEventTableHeader();
        while (await call.ResponseStream.MoveNext(ct))
        {
            var message = call.ResponseStream.Current;
            if (message.Event is { } e)
            {
                Printer.PrintEventRow(e);
            }

            if (message.CaughtUp)
            {
                Console.WriteLine("(caught up)");
            }
        }
    }

    private static async Task WatchAll(DisputeService.DisputeServiceClient client, string cursor, bool now, CancellationToken ct)
    {
        var request = new WatchDisputesRequest { AfterCursor = cursor, StartAtNow = now };
        using var call = client.WatchDisputes(request, cancellationToken: ct);
        while (await call.ResponseStream.MoveNext(ct))
        {
            var message = call.ResponseStream.Current;
            if (message.Event is { } e)
            {
                Console.WriteLine(
                    $"{e.DisputeId}  #{e.Seq}  {Format.Time(e.OccurTime)}  {Format.Actor(e.Actor)}  " +
                    $"[{Format.Enum(e.StatusAfter)}]  {Printer.Describe(e)}");
                Console.WriteLine($"    cursor {message.Cursor}");
            }

            if (message.CaughtUp)
            {
                Console.WriteLine(string.IsNullOrEmpty(message.Cursor) ? "(caught up)" : $"(caught up; cursor {message.Cursor})");
            }
        }
    }
}
