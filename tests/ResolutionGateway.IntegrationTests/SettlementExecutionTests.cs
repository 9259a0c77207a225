using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>RecordSettlementExecution, ConfirmSettlement and ReopenDispute over the real gRPC stack, by every role.</summary>
public abstract class SettlementExecutionTests(GatewayFixture gw)
{
    public enum SettlementRpc
    {
        Record,
        Confirm,
        Reopen,
    }

    [Fact]
    public async Task RecordSettlementExecution_MerchantAfterAcceptedDemand_RecordedRetryReplayedSecondRefused()
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);
        var request = Execution(s, settled, "rec-" + s.Suffix);

        var recorded = (await s.Merchant.RecordSettlementExecutionAsync(request)).Dispute;
        var retried = (await s.Merchant.RecordSettlementExecutionAsync(request)).Dispute;
        var second = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Merchant.RecordSettlementExecutionAsync(Execution(s, settled, "rec2-" + s.Suffix)).ResponseAsync);

        Assert.Equal(DisputeStatus.Resolved, settled.Status);
        Assert.Equal(settled.CloseTime.ToDateTimeOffset().AddDays(7), settled.ExecutionDueTime.ToDateTimeOffset());
        Assert.Equal(settled.CloseTime.ToDateTimeOffset().AddDays(15), settled.ReopenDueTime.ToDateTimeOffset());
        Assert.Equal("alipay-2026-0001", recorded.SettlementExecution.Reference);
        Assert.Equal(settled.Settlement.Amount, recorded.SettlementExecution.Amount);
        Assert.Equal(DisputeStatus.Resolved, recorded.Status);
        Assert.Equal(recorded, retried);
        Assert.Equal("ALREADY_RECORDED", second.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
        var events = await s.EventsAsync(settled.DisputeId);
        Assert.Equal(3, events.Count);
        Assert.Equal("alipay-2026-0001", events[^1].SettlementExecutionRecorded.Reference);
        Assert.Equal(ActorRole.Merchant, events[^1].Actor.Role);
        var seenByChannel = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = settled.DisputeId })).Dispute;
        Assert.Equal(recorded.SettlementExecution, seenByChannel.SettlementExecution);
    }

    [Fact]
    public async Task ReopenDispute_ExecutedButNotReceived_EscalatedStraightToRegulatorWithTrail()
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);
        await s.Merchant.RecordSettlementExecutionAsync(Execution(s, settled, "rec-" + s.Suffix));

        var confirmed = (await s.Channel.ConfirmSettlementAsync(new ConfirmSettlementRequest
        {
            RequestId = "conf-" + s.Suffix, DisputeId = settled.DisputeId, Receipt = SettlementReceipt.NotReceived, Note = "nothing arrived",
        })).Dispute;
        var reopen = new ReopenDisputeRequest
        {
            RequestId = "reo-" + s.Suffix, DisputeId = settled.DisputeId, Reason = ReopenReason.NotAsAgreed, Note = "the refund never arrived",
        };
        var reopened = (await s.Channel.ReopenDisputeAsync(reopen)).Dispute;
        var retried = (await s.Channel.ReopenDisputeAsync(reopen)).Dispute;
        var accepted = (await s.Hangzhou.AcceptCaseAsync(new AcceptCaseRequest { RequestId = "acc-" + s.Suffix, DisputeId = settled.DisputeId })).Dispute;

        Assert.Equal(SettlementReceipt.NotReceived, confirmed.SettlementReceipt);
        Assert.Equal(DisputeStatus.Escalated, reopened.Status);
        Assert.Equal(EscalationReason.SettlementNotExecuted, reopened.EscalationReason);
        Assert.Equal(CaseStatus.Pending, reopened.CaseStatus);
        Assert.NotNull(reopened.CaseAcceptDueTime);
        Assert.Null(reopened.CloseTime);
        Assert.Null(reopened.Settlement);
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Equal(ReopenReason.NotAsAgreed, reopened.ReopenReason);
        Assert.Equal(reopened, retried);
        Assert.Equal(CaseStatus.Accepted, accepted.CaseStatus);
        var events = await s.EventsAsync(settled.DisputeId);
        Assert.Equal(
            [DisputeEvent.DetailOneofCase.Opened, DisputeEvent.DetailOneofCase.DemandAccepted, DisputeEvent.DetailOneofCase.SettlementExecutionRecorded,
             DisputeEvent.DetailOneofCase.SettlementConfirmed, DisputeEvent.DetailOneofCase.Reopened, DisputeEvent.DetailOneofCase.CaseAccepted],
            events.Select(e => e.DetailCase));
        Assert.Equal(reopened.CaseAcceptDueTime, events[4].Reopened.AcceptDueTime);
        var regulatorList = await s.Hangzhou.ListDisputesAsync(new ListDisputesRequest { Statuses = { DisputeStatus.Escalated } });
        Assert.Contains(regulatorList.Disputes, d => d.DisputeId == settled.DisputeId);
    }

    [Fact]
    public async Task ReopenDispute_BeforeExecutionDeadline_FailedPreconditionExecutionPending()
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);

        var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => s.Channel.ReopenDisputeAsync(new ReopenDisputeRequest
        {
            RequestId = "reo-" + s.Suffix, DisputeId = settled.DisputeId, Reason = ReopenReason.NotExecuted, Note = "not paid",
        }).ResponseAsync);

        Assert.Equal("EXECUTION_PENDING", e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
        Assert.Equal(2, (await s.EventsAsync(settled.DisputeId)).Count);
    }

    [Fact]
    public async Task ReopenDispute_OrderHasAnotherActiveDispute_AlreadyExistsAndNothingChanged()
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);
        await s.Merchant.RecordSettlementExecutionAsync(Execution(s, settled, "rec-" + s.Suffix));
        var again = s.OpenRequest(orderId: settled.Order.ChannelOrderId);
        var second = (await s.Channel.OpenDisputeAsync(again)).Dispute;

        var e = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => s.Channel.ReopenDisputeAsync(new ReopenDisputeRequest
        {
            RequestId = "reo-" + s.Suffix, DisputeId = settled.DisputeId, Reason = ReopenReason.NotAsAgreed, Note = "short paid",
        }).ResponseAsync);

        Assert.Contains(second.DisputeId, e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(3, (await s.EventsAsync(settled.DisputeId)).Count);
        var still = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = settled.DisputeId })).Dispute;
        Assert.Equal(DisputeStatus.Resolved, still.Status);
    }

    [Theory]
    [InlineData(SettlementRpc.Record)]
    [InlineData(SettlementRpc.Confirm)]
    [InlineData(SettlementRpc.Reopen)]
    public async Task SettlementRpc_RoleNotAllowed_PermissionDeniedAndNothingChanged(SettlementRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);
        await s.Merchant.RecordSettlementExecutionAsync(Execution(s, settled, "rec-" + s.Suffix));
        var refused = rpc == SettlementRpc.Record
            ? new[] { s.Channel, s.Hangzhou, s.AdminReader }
            : new[] { s.Merchant, s.Hangzhou, s.AdminReader };

        foreach (var client in refused)
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Call(client, rpc, settled));
        }

        Assert.Equal(3, (await s.EventsAsync(settled.DisputeId)).Count);
    }

    [Theory]
    [InlineData(SettlementRpc.Record)]
    [InlineData(SettlementRpc.Confirm)]
    [InlineData(SettlementRpc.Reopen)]
    public async Task SettlementRpc_OtherPartyOfSameRole_NotFound(SettlementRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);
        await s.Merchant.RecordSettlementExecutionAsync(Execution(s, settled, "rec-" + s.Suffix));

        await RpcAssert.FailsWith(StatusCode.NotFound, () => Call(rpc == SettlementRpc.Record ? s.OtherMerchant : s.OtherChannel, rpc, settled));

        Assert.Equal(3, (await s.EventsAsync(settled.DisputeId)).Count);
    }

    [Theory]
    [InlineData(SettlementRpc.Record)]
    [InlineData(SettlementRpc.Confirm)]
    [InlineData(SettlementRpc.Reopen)]
    public async Task SettlementRpc_DisputeStillNegotiating_FailedPrecondition(SettlementRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, _) = await s.OpenWithOfferAsync();

        var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Call(rpc == SettlementRpc.Record ? s.Merchant : s.Channel, rpc, d));

        Assert.Equal("STATE", e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
    }

    [Fact]
    public async Task SettlementRpcs_BadInput_InvalidArgumentWithFieldViolations()
    {
        var s = await Scenario.CreateAsync(gw);
        var settled = await SettledAsync(s);

        var record = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Merchant.RecordSettlementExecutionAsync(
            new RecordSettlementExecutionRequest { RequestId = "r", DisputeId = settled.DisputeId }).ResponseAsync);
        var currency = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Merchant.RecordSettlementExecutionAsync(
            new RecordSettlementExecutionRequest
            {
                RequestId = "r2", DisputeId = settled.DisputeId, Reference = "x", Amount = new Money { CurrencyCode = "USD", MinorUnits = 100 },
                ExecuteTime = Timestamp.FromDateTimeOffset(s.Now),
            }).ResponseAsync);
        var confirm = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.ConfirmSettlementAsync(
            new ConfirmSettlementRequest { RequestId = "c", DisputeId = settled.DisputeId }).ResponseAsync);
        var reopen = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.ReopenDisputeAsync(
            new ReopenDisputeRequest { DisputeId = "nope" }).ResponseAsync);

        Assert.Equal(["reference", "amount", "execute_time"], RpcAssert.Fields(record));
        Assert.Equal(["amount.currency"], RpcAssert.Fields(currency));
        Assert.Equal(["receipt"], RpcAssert.Fields(confirm));
        Assert.Equal(["request_id", "dispute_id", "reason", "note"], RpcAssert.Fields(reopen));
        Assert.Equal(2, (await s.EventsAsync(settled.DisputeId)).Count);
    }

    // The merchant accepts the full-refund demand: resolved with the order amount to refund.
    private static async Task<Dispute> SettledAsync(Scenario s)
    {
        var d = await s.OpenAsync();
        return (await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "ad-" + s.Suffix, DisputeId = d.DisputeId })).Dispute;
    }

    private static RecordSettlementExecutionRequest Execution(Scenario s, Dispute d, string requestId) => new()
    {
        RequestId = requestId,
        DisputeId = d.DisputeId,
        Reference = "alipay-2026-0001",
        Amount = d.Settlement.Amount,
        ExecuteTime = Timestamp.FromDateTimeOffset(s.Now),
        Note = "refunded to the original card",
    };

    private static Task Call(DisputeService.DisputeServiceClient client, SettlementRpc rpc, Dispute d)
    {
        var id = Guid.NewGuid().ToString();
        return rpc switch
        {
            SettlementRpc.Record => client.RecordSettlementExecutionAsync(new RecordSettlementExecutionRequest
            {
                RequestId = id, DisputeId = d.DisputeId, Reference = "ref-" + id[..8],
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 }, ExecuteTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            }).ResponseAsync,
            SettlementRpc.Confirm => client.ConfirmSettlementAsync(new ConfirmSettlementRequest
            {
                RequestId = id, DisputeId = d.DisputeId, Receipt = SettlementReceipt.Received,
            }).ResponseAsync,
            _ => client.ReopenDisputeAsync(new ReopenDisputeRequest
            {
                RequestId = id, DisputeId = d.DisputeId, Reason = ReopenReason.NotAsAgreed, Note = "not paid",
            }).ResponseAsync,
        };
    }
}
