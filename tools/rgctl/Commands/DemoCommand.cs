using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>
/// rgctl demo: the happy path of a dispute, acting in turn as the operator (admin key), the
/// channel (for the consumer) and the merchant. Re-runnable: registrations are upserts, keys and
/// the order id are new on every run.
/// </summary>
internal static class DemoCommand
{
    private const string ChannelId = "demo-pay";
    private const string MerchantId = "demo-tea";
    private const string StoreId = "xihu-1";
    private const string Currency = "CNY";

    private static int _step;

    public static async Task<int> Run(string[] argv)
    {
        var args = ArgReader.Parse("demo", argv, string.Empty);
        args.AllowPositionals(0);
        using var connection = Connection.Open(args);
        Console.WriteLine($"server {connection.Url}, admin key from {connection.KeySource}");

        // --- The operator sets the scene. ---------------------------------------------------
        var admin = connection.Admin();
        Step("admin", $"register channel {ChannelId}");
        var channel = await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = ChannelId, DisplayName = "Demo Pay" });
        Indent(() => AdminCommands.PrintChannel(channel.Channel));

        Step("admin", $"enroll merchant {MerchantId}");
        var merchant = await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = MerchantId, DisplayName = "West Lake Tea House" });
        Indent(() => AdminCommands.PrintMerchant(merchant.Merchant));

        Step("admin", $"upsert store {MerchantId}/{StoreId}");
        var store = await admin.UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store
            {
                MerchantId = MerchantId,
                StoreId = StoreId,
                DisplayName = "West Lake Tea House (Xihu)",
                Address = "18 Longjing Road, Xihu District, Hangzhou",
                RegionCode = "330106",
            },
        });
        Indent(() => AdminCommands.PrintStore(store.Store));

        Step("admin", $"create an API key for channel {ChannelId}");
        var channelKey = await admin.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Role = CredentialRole.Channel,
            Scope = ChannelId,
            Description = "rgctl demo: channel",
        });
        Indent(() => AdminCommands.PrintCreatedKey(channelKey));

        Step("admin", $"create an API key for merchant {MerchantId}");
        var merchantKey = await admin.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Role = CredentialRole.Merchant,
            Scope = MerchantId,
            Description = "rgctl demo: merchant",
        });
        Indent(() => AdminCommands.PrintCreatedKey(merchantKey));

        var asChannel = connection.Disputes(channelKey.Token);
        var asMerchant = connection.Disputes(merchantKey.Token);

        // --- The consumer opens a dispute in the payment app. ----------------------------------
        var open = SampleOrder();
        Step("channel", $"open a dispute for order {open.Order.ChannelOrderId} ({Format.Money(open.Order.Amount)}, paid {Format.Time(open.Order.PayTime)})");
        var opened = (await asChannel.OpenDisputeAsync(open)).Dispute;
        var disputeId = opened.DisputeId;
        Note("the server prefilled merchant and store names, region and deadlines:");
        Indent(() => Printer.PrintDispute(opened));

        // --- The merchant sees it, masked. -----------------------------------------------------
        Step("merchant", $"get dispute {disputeId}");
        var merchantView = (await asMerchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = disputeId })).Dispute;
        Note($"the merchant sees the consumer as {merchantView.Consumer?.Name}, mobile {merchantView.Consumer?.Mobile}" +
            $" (masked; the channel sees {opened.Consumer?.Mobile})");
        Note($"status {Format.Enum(merchantView.Status)}, respond by {Format.Time(merchantView.FirstResponseDueTime)}");

        // --- Negotiation. --------------------------------------------------------------------
        Step("consumer", "post a message");
        var consumerMessage = await asChannel.PostMessageAsync(new PostMessageRequest
        {
            RequestId = NewRequestId(),
            DisputeId = disputeId,
            Text = "Hello, the cakes were mouldy when the parcel arrived. Please refund the order.",
        });
        Note($"\"{consumerMessage.Event?.MessagePosted?.Text}\"");
        Note($"event #{consumerMessage.Event?.Seq}, status {Format.Enum(consumerMessage.Dispute.Status)}");

        Step("merchant", "reply");
        var merchantReply = await asMerchant.PostMessageAsync(new PostMessageRequest
        {
            RequestId = NewRequestId(),
            DisputeId = disputeId,
            Text = "We are very sorry. The tea itself is fine and sealed, the cakes are not; may we refund half?",
        });
        Note($"\"{merchantReply.Event?.MessagePosted?.Text}\"");
        Note($"event #{merchantReply.Event?.Seq}, status {Format.Enum(merchantReply.Dispute.Status)}" +
            $" (first response at {Format.Time(merchantReply.Dispute.FirstResponseTime)})");

        Step("merchant", "offer a partial refund of CNY 64.00");
        var offer = await asMerchant.MakeOfferAsync(new MakeOfferRequest
        {
            RequestId = NewRequestId(),
            DisputeId = disputeId,
            Remedy = Remedy.PartialRefund,
            Amount = new Money { CurrencyCode = Currency, MinorUnits = 6400 },
            Note = "Half of the order back, and a fresh box of cakes with your next order.",
        });
        Note($"offer {offer.Offer.OfferId}: {Format.Remedy(offer.Offer.Remedy, offer.Offer.Amount)} [{Format.Enum(offer.Offer.Status)}]");
        Note($"note: \"{offer.Offer.Note}\"");

        Step("consumer", $"accept offer {offer.Offer.OfferId}");
        var accepted = (await asChannel.RespondToOfferAsync(new RespondToOfferRequest
        {
            RequestId = NewRequestId(),
            DisputeId = disputeId,
            OfferId = offer.Offer.OfferId,
            Decision = OfferDecision.Accept,
            Note = "OK, thank you.",
        })).Dispute;
        Note($"status {Format.Enum(accepted.Status)}, outcome {Format.Enum(accepted.Outcome)}, settlement {Format.Settlement(accepted.Settlement)}");

        Step("consumer", "rate the resolution 5/5");
        var rated = (await asChannel.RateResolutionAsync(new RateResolutionRequest
        {
            RequestId = NewRequestId(),
            DisputeId = disputeId,
            Rating = 5,
            Comment = "Quick and fair.",
        })).Dispute;
        Note($"rating {rated.SatisfactionRating}/5");

        // --- The record. ---------------------------------------------------------------------
        Step("channel", $"timeline of {disputeId}");
        var events = await DisputeCommands.FetchEvents(asChannel, disputeId, 0);
        Indent(() => DisputeCommands.PrintTimeline(events));

        Console.WriteLine();
        Console.WriteLine("done. To continue by hand:");
        Console.WriteLine($"  rgctl get {disputeId}");
        Console.WriteLine($"  rgctl get {disputeId} --key {merchantKey.Token}   # as the merchant (mobile masked)");
        Console.WriteLine($"  rgctl watch --all --key {channelKey.Token}");
        return 0;
    }

    private static OpenDisputeRequest SampleOrder()
    {
        var now = DateTimeOffset.Now;
        var orderId = string.Create(CultureInfo.InvariantCulture, $"demo-{now:yyyyMMdd-HHmmss}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
        var photo = Encoding.UTF8.GetBytes($"rgctl demo photo of the mouldy osmanthus cakes, order {orderId}");
        var request = new OpenDisputeRequest
        {
            RequestId = NewRequestId(),
            Order = new OrderContext
            {
                ChannelOrderId = orderId,
                MerchantId = MerchantId,
                StoreId = StoreId,
                Amount = new Money { CurrencyCode = Currency, MinorUnits = 12800 },
                PayTime = Timestamp.FromDateTimeOffset(now.AddDays(-2)),
                PaymentMethod = "alipay",
            },
            Consumer = new Consumer { ConsumerRef = "c-1001", Name = "Li Hua", Mobile = "13800001234" },
            Category = Category.Quality,
            Demand = new Demand { Remedy = Remedy.FullRefund, Amount = new Money { CurrencyCode = Currency, MinorUnits = 12800 } },
            Description = "The osmanthus cakes were mouldy on arrival and the tea tin was dented. I want my money back.",
        };
        request.Order.LineItems.Add(new LineItem
        {
            Sku = "LJ-250",
            Name = "Longjing green tea, 250 g tin",
            Quantity = 1,
            UnitPrice = new Money { CurrencyCode = Currency, MinorUnits = 8800 },
        });
        request.Order.LineItems.Add(new LineItem
        {
            Sku = "GH-6",
            Name = "Osmanthus cakes, box of 6",
            Quantity = 2,
            UnitPrice = new Money { CurrencyCode = Currency, MinorUnits = 2000 },
        });
        request.Evidence.Add(new EvidenceRef
        {
            Uri = $"https://cdn.demo-pay.example/evidence/{orderId}/photo-1.jpg",
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(photo)),
            ContentType = "image/jpeg",
            SizeBytes = photo.Length,
        });
        return request;
    }

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private static void Step(string actor, string what)
    {
        Console.WriteLine();
        Console.WriteLine($"[{++_step}] {actor}: {what}");
    }

    private static void Note(string text) => Console.WriteLine($"    {text}");

    /// <summary>Runs a printer with its output indented under the current step.</summary>
    private static void Indent(Action print)
    {
        var original = Console.Out;
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        Console.SetOut(buffer);
        try
        {
            print();
        }
        finally
        {
            Console.SetOut(original);
        }

        foreach (var line in buffer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            original.WriteLine($"    {line}");
        }
    }
}
