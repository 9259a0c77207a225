using Google.Protobuf;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>Human-readable (and --json) output of disputes, events and keys on stdout.</summary>
internal static class Printer
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation("  "));

    private static TextWriter Out => Console.Out;

    public static void PrintJson(IMessage message) => Out.WriteLine(Json.Format(message));

    /// <summary>Prints the messages as one JSON array.</summary>
    public static void PrintJsonArray(IEnumerable<IMessage> messages)
    {
        var items = messages.Select(m => "  " + Json.Format(m).ReplaceLineEndings("\n  ")).ToList();
        Out.WriteLine(items.Count == 0 ? "[]" : "[\n" + string.Join(",\n", items) + "\n]");
    }

    public static void PrintDispute(Dispute d)
    {
        Out.WriteLine($"dispute {d.DisputeId}  [{Format.Enum(d.Status)}]");
        Field("channel", d.ChannelId);
        if (d.Consumer is { } c)
        {
            Field("consumer", $"{c.Name} (ref {c.ConsumerRef}, mobile {c.Mobile})");
        }

        Field("merchant", $"{d.MerchantName} ({d.MerchantId}, {(d.MerchantEnrolled ? "enrolled" : "not enrolled")})");
        if (!string.IsNullOrEmpty(d.StoreId) || !string.IsNullOrEmpty(d.StoreName))
        {
            Field("store", string.IsNullOrEmpty(d.StoreId) ? d.StoreName : $"{d.StoreName} ({d.StoreId})");
        }

        Field("region", d.RegionCode);
        if (d.Order is { } o)
        {
            var via = string.IsNullOrEmpty(o.PaymentMethod) ? string.Empty : $" via {o.PaymentMethod}";
            Field("order", $"{o.ChannelOrderId}: {Format.Money(o.Amount)} paid {Format.Time(o.PayTime)}{via}");
            foreach (var item in o.LineItems)
            {
                var price = item.UnitPrice is null ? string.Empty : $" @ {Format.Money(item.UnitPrice)}";
                var sku = string.IsNullOrEmpty(item.Sku) ? string.Empty : $" [{item.Sku}]";
                Field(string.Empty, $"- {item.Quantity} x {item.Name}{sku}{price}");
            }
        }

        Field("category", Format.Enum(d.Category));
        if (d.Demand is { } demand)
        {
            Field("demand", Format.Remedy(demand.Remedy, demand.Amount));
        }

        Field("description", Format.OneLine(d.Description, 200));
        foreach (var e in d.Evidence)
        {
            Field("evidence", $"{e.Uri} ({e.ContentType}, {e.SizeBytes} bytes, sha256 {e.Sha256})");
        }

        if (d.CurrentOffer is { } offer)
        {
            Field("offer", $"{offer.OfferId}: {Format.Remedy(offer.Remedy, offer.Amount)} [{Format.Enum(offer.Status)}]{Format.Note(offer.Note)}");
        }

        Field("opened", Format.Time(d.CreateTime));
        Field("first response due", Format.Time(d.FirstResponseDueTime));
        Field("negotiation due", Format.Time(d.NegotiationDueTime));
        if (d.FirstResponseTime is not null)
        {
            Field("first response", Format.Time(d.FirstResponseTime));
        }

        if (d.EscalateTime is not null || d.EscalationReason != EscalationReason.Unspecified)
        {
            Field("escalated", $"{Format.Time(d.EscalateTime)} ({Format.Enum(d.EscalationReason)})");
        }

        if (d.CloseTime is not null || d.Outcome != Outcome.Unspecified)
        {
            Field("closed", $"{Format.Time(d.CloseTime)} ({Format.Enum(d.Outcome)})");
        }

        if (d.Settlement is not null)
        {
            Field("settlement", Format.Settlement(d.Settlement));
        }

        if (d.SatisfactionRating > 0)
        {
            Field("rating", $"{d.SatisfactionRating}/5");
        }

        Field("updated", $"{Format.Time(d.UpdateTime)} (last seq {d.LastSeq})");
    }

    public static void PrintDisputeTableHeader() =>
        Out.WriteLine($"{"DISPUTE",-30}  {"STATUS",-17}  {"OPENED",-25}  {"MERCHANT",-16}  {"AMOUNT",-12}  {"CATEGORY",-12}  CONSUMER");

    public static void PrintDisputeRow(Dispute d) =>
        Out.WriteLine(
            $"{d.DisputeId,-30}  {Format.Enum(d.Status),-17}  {Format.Time(d.CreateTime),-25}  {d.MerchantId,-16}  " +
            $"{Format.Money(d.Order?.Amount),-12}  {Format.Enum(d.Category),-12}  {d.Consumer?.ConsumerRef}");

    public static void PrintEventTableHeader() =>
        Out.WriteLine($"{"SEQ",4}  {"TIME",-25}  {"ACTOR",-24}  {"STATUS AFTER",-17}  WHAT");

    public static void PrintEventRow(DisputeEvent e) =>
        Out.WriteLine($"{e.Seq,4}  {Format.Time(e.OccurTime),-25}  {Format.Actor(e.Actor),-24}  {Format.Enum(e.StatusAfter),-17}  {Describe(e)}");

    /// <summary>One-line description of what an event did.</summary>
    public static string Describe(DisputeEvent e) => e.DetailCase switch
    {
        DisputeEvent.DetailOneofCase.Opened when e.Opened.Dispute is { } d =>
            $"opened: {Format.Enum(d.Category)}, demand {Format.Remedy(d.Demand?.Remedy ?? Remedy.Unspecified, d.Demand?.Amount)}, order {Format.Money(d.Order?.Amount)}",
        DisputeEvent.DetailOneofCase.Opened => "opened",
        DisputeEvent.DetailOneofCase.MessagePosted =>
            $"message: \"{Format.OneLine(e.MessagePosted.Text, 60)}\"" +
            (e.MessagePosted.Evidence.Count > 0 ? $" (+{e.MessagePosted.Evidence.Count} evidence)" : string.Empty),
        DisputeEvent.DetailOneofCase.OfferMade =>
            $"offer {e.OfferMade.Offer?.OfferId}: {Format.Remedy(e.OfferMade.Offer?.Remedy ?? Remedy.Unspecified, e.OfferMade.Offer?.Amount)}" +
            Format.Note(e.OfferMade.Offer?.Note ?? string.Empty) +
            (string.IsNullOrEmpty(e.OfferMade.SupersededOfferId) ? string.Empty : $" (supersedes {e.OfferMade.SupersededOfferId})"),
        DisputeEvent.DetailOneofCase.OfferAnswered =>
            $"offer {e.OfferAnswered.OfferId} {(e.OfferAnswered.Accepted ? "accepted" : "rejected")}{Format.Note(e.OfferAnswered.Note)}",
        DisputeEvent.DetailOneofCase.DemandAccepted =>
            $"demand accepted: {Format.Settlement(e.DemandAccepted.Settlement)}{Format.Note(e.DemandAccepted.Note)}",
        DisputeEvent.DetailOneofCase.Escalated =>
            $"escalated to the regulator ({Format.Enum(e.Escalated.Reason)}){Format.Note(e.Escalated.Note)}",
        DisputeEvent.DetailOneofCase.Withdrawn => $"withdrawn{Format.Note(e.Withdrawn.Note)}",
        DisputeEvent.DetailOneofCase.MediationOutcomeRecorded =>
            $"mediation outcome: {Format.Enum(e.MediationOutcomeRecorded.Outcome)}" +
            (e.MediationOutcomeRecorded.Settlement is null ? string.Empty : $", {Format.Settlement(e.MediationOutcomeRecorded.Settlement)}") +
            Format.Note(e.MediationOutcomeRecorded.Note),
        DisputeEvent.DetailOneofCase.ResolutionRated =>
            $"rated {e.ResolutionRated.Rating}/5{Format.Note(e.ResolutionRated.Comment, "comment")}",
        _ => "(event kind unknown to this rgctl)",
    };

    public static void PrintKeyTableHeader() =>
        Out.WriteLine($"{"KEY ID",-32}  {"ROLE",-10}  {"SCOPE",-12}  {"CREATED",-25}  {"REVOKED",-25}  {"OFFICER",-16}  DESCRIPTION");

    public static void PrintKeyRow(ApiKey k) =>
        Out.WriteLine(
            $"{k.KeyId,-32}  {Format.Enum(k.Role),-10}  {k.Scope,-12}  {Format.Time(k.CreateTime),-25}  " +
            $"{(k.RevokeTime is null ? "-" : Format.Time(k.RevokeTime)),-25}  {(k.OfficerName.Length == 0 ? "-" : k.OfficerName),-16}  {k.Description}");

    private static void Field(string label, string value) =>
        Out.WriteLine(label.Length == 0 ? $"  {string.Empty,-20}{value}" : $"  {label + ":",-20}{value}");
}
