using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using static ResolutionGateway.Tools.Rgctl.Commands.ActionCommands;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>Settlement execution and reopening: one thin command per RPC (RecordSettlementExecution, ConfirmSettlement, ReopenDispute).</summary>
internal static class SettlementCommands
{
    public static async Task<int> Record(string[] argv)
    {
        var args = Parse("settle record", argv, "reference= amount= currency= time= note=");
        var request = new RecordSettlementExecutionRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Reference = args.Require("reference"),
            Amount = args.GetMoney("amount", args.Currency()) ?? throw new UsageException("--amount is required", "settle record"),
            ExecuteTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(args.GetTime("time") ?? DateTimeOffset.UtcNow),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().RecordSettlementExecutionAsync(request);
        return Emit(args, response, $"settlement execution recorded (reference {request.Reference}); it was due {response.Dispute.ExecutionDueTime}", response.Dispute);
    }

    public static async Task<int> Confirm(string[] argv)
    {
        var args = Parse("settle confirm", argv, "receipt= note=");
        var request = new ConfirmSettlementRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Receipt = args.RequireEnum<SettlementReceipt>("receipt"),
            Note = args.Get("note") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().ConfirmSettlementAsync(request);
        return Emit(args, response, request.Receipt == SettlementReceipt.Received ? "the money arrived (final)" : "the money did not arrive", response.Dispute);
    }

    public static async Task<int> Reopen(string[] argv)
    {
        var args = Parse("reopen", argv, "reason= note=");
        var request = new ReopenDisputeRequest
        {
            RequestId = args.RequestId(),
            DisputeId = args.DisputeId(),
            Reason = args.RequireEnum<ReopenReason>("reason"),
            Note = args.Require("note"),
        };
        using var connection = Connection.Open(args);
        var response = await connection.Disputes().ReopenDisputeAsync(request);
        return Emit(args, response, $"reopened: escalated to the regulator; acceptance due {response.Dispute.CaseAcceptDueTime}", response.Dispute);
    }
}
