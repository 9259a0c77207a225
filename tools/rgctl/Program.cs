using Grpc.Core;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Commands;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl;

internal static class Program
{
    private const int ExitRpcError = 1;
    private const int ExitUsage = 2;

    /// <summary>Commands that take a sub-command ("keys create", "store upsert").</summary>
    private static readonly HashSet<string> Groups =
        ["keys", "channel", "merchant", "store", "case", "settle",
         "stores", "merchants", "channels", "policies", "calendars", "webhooks", "deliveries", "audit"];

    private static async Task<int> Main(string[] argv)
    {
        if (argv.Length == 0)
        {
            Usage.PrintAll(Console.Error);
            return ExitUsage;
        }

        var (command, args) = SplitCommand(argv);
        if (command.Length == 0)
        {
            Console.Error.WriteLine("error: missing command");
            Usage.PrintAll(Console.Error);
            return ExitUsage;
        }

        if (command is "help" or "--help" or "-h")
        {
            return Help([.. args.TakeWhile(a => !a.StartsWith('-'))]);
        }

        if (Groups.Contains(command) && !Usage.IsCommand(command))
        {
            Console.Error.WriteLine($"error: 'rgctl {command}' needs a sub-command");
            Usage.PrintGroup(Console.Error, command);
            return ExitUsage;
        }

        if (!Usage.IsCommand(command))
        {
            Console.Error.WriteLine($"error: unknown command '{command}'");
            Console.Error.WriteLine("run 'rgctl help' for the list of commands");
            return ExitUsage;
        }

        if (args.Contains("--help") || args.Contains("-h"))
        {
            Usage.PrintCommand(Console.Out, command);
            return 0;
        }

        try
        {
            return await Run(command, args);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            if (ex.Command is not null && Usage.PrintCommand(Console.Error, ex.Command, withDescription: false))
            {
                Console.Error.WriteLine($"run 'rgctl help {ex.Command}' for details");
            }

            return ExitUsage;
        }
        catch (RpcException ex)
        {
            ErrorPrinter.Print(ex);
            return ExitRpcError;
        }
    }

    private static Task<int> Run(string command, string[] args) => command switch
    {
        "demo" => DemoCommand.Run(args),
        "status" => StatusCommand.Run(args),
        "open" => DisputeCommands.Open(args),
        "get" => DisputeCommands.Get(args),
        "list" => DisputeCommands.List(args),
        "events" => DisputeCommands.Events(args),
        "watch" => WatchCommand.Run(args),
        "message" => ActionCommands.Message(args),
        "offer" => ActionCommands.Offer(args),
        "respond" => ActionCommands.Respond(args),
        "accept-demand" => ActionCommands.AcceptDemand(args),
        "escalate" => ActionCommands.Escalate(args),
        "withdraw" => ActionCommands.Withdraw(args),
        "mediate" => ActionCommands.Mediate(args),
        "rate" => ActionCommands.Rate(args),
        "case accept" => CaseCommands.Accept(args),
        "case refuse" => CaseCommands.Refuse(args),
        "case assign" => CaseCommands.Assign(args),
        "case transfer" => CaseCommands.Transfer(args),
        "case note" => CaseCommands.Note(args),
        "case notes" => CaseCommands.Notes(args),
        "settle record" => SettlementCommands.Record(args),
        "settle confirm" => SettlementCommands.Confirm(args),
        "reopen" => SettlementCommands.Reopen(args),
        "stats" => ReportingCommands.Stats(args),
        "export" => ReportingCommands.Export(args),
        "rankings" => ReportingCommands.Rankings(args),
        "keys create" => AdminCommands.CreateKey(args),
        "keys list" => AdminCommands.ListKeys(args),
        "keys revoke" => AdminCommands.RevokeKey(args),
        "channel register" => AdminCommands.RegisterChannel(args),
        "merchant enroll" => AdminCommands.EnrollMerchant(args),
        "store upsert" => AdminCommands.UpsertStore(args),
        "stores import" => StoreImportCommand.Run(args),
        "stores list" => DirectoryCommands.ListStores(args),
        "merchants list" => DirectoryCommands.ListMerchants(args),
        "channels list" => DirectoryCommands.ListChannels(args),
        "policies set" => PolicyCommands.Set(args),
        "policies list" => PolicyCommands.List(args),
        "policies delete" => PolicyCommands.Delete(args),
        "policies resolve" => PolicyCommands.Resolve(args),
        "calendars set" => PolicyCommands.SetCalendar(args),
        "calendars list" => PolicyCommands.ListCalendars(args),
        "webhooks create" => WebhookCommands.Create(args),
        "webhooks update" => WebhookCommands.Update(args),
        "webhooks delete" => WebhookCommands.Delete(args),
        "webhooks list" => WebhookCommands.List(args),
        "webhooks rotate" => WebhookCommands.Rotate(args),
        "deliveries list" => WebhookCommands.ListDeliveries(args),
        "deliveries redeliver" => WebhookCommands.Redeliver(args),
        "audit list" => AuditCommand.List(args),
        _ => throw new UsageException($"unknown command '{command}'"),
    };

    /// <summary>
    /// "keys create --role x" becomes ("keys create", ["--role", "x"]). Connection options given
    /// before the command ("rgctl --url U demo") are moved behind it.
    /// </summary>
    private static (string Command, string[] Args) SplitCommand(string[] argv)
    {
        var leading = new List<string>();
        var i = 0;
        while (i < argv.Length)
        {
            if (argv[i] is "--url" or "--key" && i + 1 < argv.Length)
            {
                leading.AddRange(argv[i..(i + 2)]);
                i += 2;
            }
            else if (argv[i].StartsWith("--url=", StringComparison.Ordinal) || argv[i].StartsWith("--key=", StringComparison.Ordinal))
            {
                leading.Add(argv[i++]);
            }
            else
            {
                break;
            }
        }

        if (i >= argv.Length)
        {
            return (string.Empty, []);
        }

        var command = argv[i];
        var rest = argv[(i + 1)..];
        if (Groups.Contains(command) && rest.Length > 0 && !rest[0].StartsWith('-'))
        {
            command = $"{command} {rest[0]}";
            rest = rest[1..];
        }

        return (command, [.. rest, .. leading]);
    }

    private static int Help(string[] args)
    {
        if (args.Length == 0)
        {
            Usage.PrintAll(Console.Out);
            return 0;
        }

        var name = string.Join(' ', args);
        if (Usage.PrintCommand(Console.Out, name))
        {
            return 0;
        }

        if (Usage.PrintGroup(Console.Out, name))
        {
            return 0;
        }

        Console.Error.WriteLine($"error: unknown command '{name}'");
        return ExitUsage;
    }
}
