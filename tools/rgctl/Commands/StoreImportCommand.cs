using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>stores import FILE.csv: ImportStores, one client stream of batches.</summary>
internal static class StoreImportCommand
{
    /// <summary>Exit code when the import ran but refused rows.</summary>
    public const int ExitRefusedRows = 3;

    public static async Task<int> Run(string[] argv)
    {
        var args = ArgReader.Parse("stores import", argv, "batch= request-id= json");
        args.AllowPositionals(1);
        var path = args.Positional(0, "FILE.csv");
        var batch = args.GetInt32("batch") ?? 500;
        if (batch is < 1 or > 1000)
        {
            throw new UsageException("--batch must be between 1 and 1000 (stores per message)", args.Command);
        }
        var stores = StoreCsv.Read(path, args.Command);
        var requestId = args.RequestId();

        using var connection = Connection.Open(args);
        using var call = connection.Admin().ImportStores();
        var progress = new Progress(stores.Count);
        var messages = 0;
        try
        {
            // The request id rides on every message (allowed: later messages may repeat it).
            for (var sent = 0; sent < stores.Count || messages == 0; sent += batch)
            {
                var message = new ImportStoresRequest { RequestId = requestId };
                message.Stores.AddRange(stores.Skip(sent).Take(batch));
                await call.RequestStream.WriteAsync(message);
                messages++;
                progress.Report(Math.Min(sent + batch, stores.Count));
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server ended the call early: its status is in the response below.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call ended: likewise.
        }
        var response = await call.ResponseAsync;
        progress.Done(messages);

        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return response.Refused > 0 ? ExitRefusedRows : 0;
        }
        Console.WriteLine($"imported {path}: {response.Created} created, {response.Updated} updated, {response.Unchanged} unchanged, " +
            $"{response.Refused} refused (request id {requestId})");
        if (response.Replayed)
        {
            Console.WriteLine("(a repeat of a finished import with this request id: the first import's counts, nothing written now)");
        }
        if (response.RefusedRows.Count > 0)
        {
            Console.WriteLine("refused rows (nothing of them was written):");
            foreach (var row in response.RefusedRows)
            {
                var reasons = string.Join("; ", row.Violations.Select(v => $"{v.Field}: {v.Description}"));
                Console.WriteLine($"  row {row.RowNumber} ({row.MerchantId}/{row.StoreId}): {reasons}");
            }
            if (response.Refused > response.RefusedRows.Count)
            {
                Console.WriteLine($"  ... and {response.Refused - response.RefusedRows.Count} more (the server lists the first {response.RefusedRows.Count})");
            }
        }
        return response.Refused > 0 ? ExitRefusedRows : 0;
    }

    /// <summary>A bar redrawn in place on a terminal's stderr; one count line when stderr is not a terminal.</summary>
    private sealed class Progress(int total)
    {
        private const int Width = 30;
        private readonly bool _bar = !Console.IsErrorRedirected;

        public void Report(int sent)
        {
            if (!_bar)
            {
                return;
            }
            var filled = total == 0 ? Width : (int)((long)sent * Width / total);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {sent}/{total} rows");
        }

        public void Done(int messages)
        {
            if (_bar)
            {
                Console.Error.WriteLine();
            }
            else
            {
                Console.Error.WriteLine($"sent {total} rows in {messages} messages");
            }
        }
    }
}
