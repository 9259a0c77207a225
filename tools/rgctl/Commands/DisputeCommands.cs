using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>open, get, list, events.</summary>
internal static partial class DisputeCommands
{
    private const string OpenSpec =
        "merchant= order= amount= currency= store= paid-at= consumer-ref= name= mobile= category= demand= " +
        "demand-amount= description= region= merchant-name= store-name= store-address= payment-method= " +
        "line-item= evidence= request-id= json";

    public static async Task<int> Open(string[] argv)
    {
        var args = ArgReader.Parse("open", argv, OpenSpec);
        args.AllowPositionals(0);
        var currency = args.Currency();
        var paidAt = args.GetTime("paid-at") ?? DateTimeOffset.Now.AddHours(-1);
        var request = new OpenDisputeRequest
        {
            RequestId = args.RequestId(),
            Order = new OrderContext
            {
                ChannelOrderId = args.Require("order"),
                MerchantId = args.Require("merchant"),
                StoreId = args.Get("store") ?? string.Empty,
                Amount = args.GetMoney("amount", currency) ?? throw new UsageException("missing required option --amount", args.Command),
                PayTime = Timestamp.FromDateTimeOffset(paidAt),
                PaymentMethod = args.Get("payment-method") ?? string.Empty,
                MerchantName = args.Get("merchant-name") ?? string.Empty,
                StoreName = args.Get("store-name") ?? string.Empty,
                RegionCode = args.Get("region") ?? string.Empty,
                StoreAddress = args.Get("store-address") ?? string.Empty,
            },
            Consumer = new Consumer
            {
                ConsumerRef = args.Require("consumer-ref"),
                Name = args.Require("name"),
                Mobile = args.Require("mobile"),
            },
            Category = args.RequireEnum<Category>("category"),
            Demand = new Demand
            {
                Remedy = args.RequireEnum<Remedy>("demand"),
                Amount = args.GetMoney("demand-amount", currency),
            },
            Description = args.Require("description"),
        };
        request.Order.LineItems.AddRange(args.GetAll("line-item").Select(text => ParseLineItem(text, currency, args.Command)));
        request.Evidence.AddRange(args.Evidence());

        using var connection = Connection.Open(args);
        var response = await connection.Disputes().OpenDisputeAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response.Dispute);
        }
        else
        {
            Console.WriteLine($"opened {response.Dispute.DisputeId}");
            Printer.PrintDispute(response.Dispute);
        }

        return 0;
    }

    public static async Task<int> Get(string[] argv)
    {
        var args = ArgReader.Parse("get", argv, "json");
        args.AllowPositionals(1);
        var id = args.Positional(0, "DISPUTE_ID");
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().GetDisputeAsync(new GetDisputeRequest { DisputeId = id });
        if (args.Has("json"))
        {
            Printer.PrintJson(response.Dispute);
        }
        else
        {
            Printer.PrintDispute(response.Dispute);
        }

        return 0;
    }

    public static async Task<int> List(string[] argv)
    {
        var args = ArgReader.Parse("list", argv,
            "status= consumer-ref= merchant= page-size= limit= json opened-from= opened-to= updated-from= updated-to= closed-from= closed-to= " +
            "category= region= deadline-within= order=");
        args.AllowPositionals(0);
        var limit = args.GetInt32("limit") ?? 50;
        if (limit < 1)
        {
            throw new UsageException("--limit must be at least 1", args.Command);
        }

        var request = new ListDisputesRequest
        {
            PageSize = args.GetInt32("page-size") ?? Math.Min(limit, 200),
            ConsumerRef = args.Get("consumer-ref") ?? string.Empty,
            MerchantId = args.Get("merchant") ?? string.Empty,
            Opened = Range(args, "opened"),
            Updated = Range(args, "updated"),
            Closed = Range(args, "closed"),
            Category = args.GetEnum<Category>("category") ?? Category.Unspecified,
            RegionPrefix = args.Get("region") ?? string.Empty,
            OrderBy = args.GetEnum<DisputeOrder>("order") ?? DisputeOrder.Unspecified,
        };
        if (args.GetInt32("deadline-within") is { } hours)
        {
            request.DeadlineWithinHours = hours;
        }
        foreach (var status in args.GetAll("status").SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            request.Statuses.Add(EnumNames.Parse<DisputeStatus>("status", status, args.Command));
        }

        using var connection = Connection.Open(args);
        var client = connection.Disputes();
        var disputes = new List<Dispute>();
        while (true)
        {
            var page = await client.ListDisputesAsync(request);
            disputes.AddRange(page.Disputes);
            if (disputes.Count >= limit || string.IsNullOrEmpty(page.NextPageToken))
            {
                break;
            }

            request.PageToken = page.NextPageToken;
        }

        if (disputes.Count > limit)
        {
            disputes.RemoveRange(limit, disputes.Count - limit);
        }

        if (args.Has("json"))
        {
            Printer.PrintJsonArray(disputes);
            return 0;
        }

        if (disputes.Count == 0)
        {
            Console.WriteLine("(no disputes)");
            return 0;
        }

        Printer.PrintDisputeTableHeader();
        disputes.ForEach(Printer.PrintDisputeRow);
        return 0;
    }

    // --NAME-from / --NAME-to as a TimeRange (start inclusive, end exclusive), or null when neither is given.
    private static TimeRange? Range(ArgReader args, string name)
    {
        var (from, to) = (args.GetTime(name + "-from"), args.GetTime(name + "-to"));
        if (from is null && to is null)
        {
            return null;
        }

        return new TimeRange
        {
            StartTime = from is { } f ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(f) : null,
            EndTime = to is { } t ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(t) : null,
        };
    }

    public static async Task<int> Events(string[] argv)
    {
        var args = ArgReader.Parse("events", argv, "after-seq= json");
        args.AllowPositionals(1);
        var id = args.Positional(0, "DISPUTE_ID");
        using var connection = Connection.Open(args);
        var events = await FetchEvents(connection.Disputes(), id, args.GetInt64("after-seq") ?? 0);
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(events);
        }
        else
        {
            PrintTimeline(events);
        }

        return 0;
    }

    /// <summary>Reads the event log after <paramref name="afterSeq"/>, following has_more.</summary>
    public static async Task<List<DisputeEvent>> FetchEvents(DisputeService.DisputeServiceClient client, string disputeId, long afterSeq)
    {
        var events = new List<DisputeEvent>();
        while (true)
        {
            var page = await client.ListDisputeEventsAsync(new ListDisputeEventsRequest
            {
                DisputeId = disputeId,
                AfterSeq = afterSeq,
                PageSize = 500,
            });
            events.AddRange(page.Events);
            if (!page.HasMore || page.Events.Count == 0)
            {
                return events;
            }

            afterSeq = page.Events[^1].Seq;
        }
    }

    public static void PrintTimeline(IReadOnlyList<DisputeEvent> events)
    {
        if (events.Count == 0)
        {
            Console.WriteLine("(no events)");
            return;
        }

        Printer.PrintEventTableHeader();
        foreach (var e in events)
        {
            Printer.PrintEventRow(e);
        }
    }

    /// <summary>Parses "QTY x NAME @ UNIT_PRICE_MINOR" (the price part is optional).</summary>
    private static LineItem ParseLineItem(string text, string currency, string command)
    {
        var match = LineItemPattern().Match(text);
        if (!match.Success)
        {
            throw new UsageException($"--line-item must look like '2 x Longjing tea 250g @ 4400', got '{text}'", command);
        }

        var item = new LineItem
        {
            Quantity = int.Parse(match.Groups["qty"].Value, CultureInfo.InvariantCulture),
            Name = match.Groups["name"].Value,
        };
        if (match.Groups["price"].Success)
        {
            item.UnitPrice = new Money { CurrencyCode = currency, MinorUnits = long.Parse(match.Groups["price"].Value, CultureInfo.InvariantCulture) };
        }

        return item;
    }

    [GeneratedRegex(@"^\s*(?<qty>\d{1,9})\s*[xX*]\s*(?<name>.+?)(?:\s*@\s*(?<price>\d{1,18}))?\s*$")]
    private static partial Regex LineItemPattern();
}
