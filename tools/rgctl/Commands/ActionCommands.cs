using Google.Protobuf;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>One thin command per mutating DisputeService RPC (except OpenDispute).</summary>
internal static class ActionCommands
{
    public static async Task<int> Message(string[] argv)
    {
        var args = Parse("message", argv, "text= evidence=");
        var request = new PostMessageRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Text = args.Require("text"),
        };
        request.Evidence.AddRange(args.Evidence());
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().PostMessageAsync(request);
        return Emit(args, response, $"message posted as event #{response.Event?.Seq}", response.Dispute);
    }

    public static async Task<int> Offer(string[] argv)
    {
        var args = Parse("offer", argv, "remedy= amount= currency= note=");
        var request = new MakeOfferRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Remedy = args.RequireEnum<Remedy>("remedy"),
            Amount = args.GetMoney("amount", args.Currency()),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().MakeOfferAsync(request);
        return Emit(args, response, $"offer {response.Offer?.OfferId} made: {Format.Remedy(request.Remedy, request.Amount)}", response.Dispute);
    }

    public static async Task<int> Respond(string[] argv)
    {
        var args = Parse("respond", argv, "offer-id= decision= note=");
        var request = new RespondToOfferRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            OfferId = args.Require("offer-id"),
            Decision = args.RequireEnum<OfferDecision>("decision"),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().RespondToOfferAsync(request);
        return Emit(args, response, $"offer {request.OfferId} {(request.Decision == OfferDecision.Accept ? "accepted" : "rejected")}", response.Dispute);
    }

    public static async Task<int> AcceptDemand(string[] argv)
    {
        var args = Parse("accept-demand", argv, "note=");
        var request = new AcceptDemandRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().AcceptDemandAsync(request);
        return Emit(args, response, "demand accepted", response.Dispute);
    }

    public static async Task<int> Escalate(string[] argv)
    {
        var args = Parse("escalate", argv, "note=");
        var request = new EscalateDisputeRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().EscalateDisputeAsync(request);
        return Emit(args, response, "escalated to the regulator", response.Dispute);
    }

    public static async Task<int> Withdraw(string[] argv)
    {
        var args = Parse("withdraw", argv, "note=");
        var request = new WithdrawDisputeRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().WithdrawDisputeAsync(request);
        return Emit(args, response, "withdrawn", response.Dispute);
    }

    public static async Task<int> Mediate(string[] argv)
    {
        var args = Parse("mediate", argv, "outcome= settlement-remedy= settlement-amount= currency= note=");
        var request = new RecordMediationOutcomeRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Outcome = args.RequireEnum<Outcome>("outcome"),
            Note = args.Get("note") ?? string.Empty,
        };
        var remedy = args.GetEnum<Remedy>("settlement-remedy");
        var amount = args.GetMoney("settlement-amount", args.Currency());
        if (remedy is not null)
        {
            request.Settlement = new Settlement { Remedy = remedy.Value, Amount = amount };
        }
        else if (amount is not null)
        {
            throw new UsageException("--settlement-amount needs --settlement-remedy", args.Command);
        }

        using var connection = Connection.Open(args);
        var response = await connection.Disputes().RecordMediationOutcomeAsync(request);
        return Emit(args, response, $"mediation outcome recorded: {Format.Enum(request.Outcome)}", response.Dispute);
    }

    public static async Task<int> Rate(string[] argv)
    {
        var args = Parse("rate", argv, "rating= comment=");
        var request = new RateResolutionRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Rating = args.GetInt32("rating") ?? throw new UsageException("missing required option --rating", args.Command),
            Comment = args.Get("comment") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().RateResolutionAsync(request);
        return Emit(args, response, $"rated {request.Rating}/5", response.Dispute);
    }

    /// <summary>Every action takes the dispute id (argument or --dispute-id), --request-id and --json.</summary>
    internal static ArgReader Parse(string command, string[] argv, string spec) =>
        ArgReader.Parse(command, argv, spec + " dispute-id= request-id= json");

    internal static int Emit(ArgReader args, IMessage response, string headline, Dispute? dispute)
    {
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }

        Console.WriteLine(headline);
        if (dispute is not null)
        {
            Printer.PrintDispute(dispute);
        }

        return 0;
    }
}
