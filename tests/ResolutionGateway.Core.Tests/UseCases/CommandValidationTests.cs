using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.UseCases;

public sealed class CommandValidationTests
{
    private static readonly DateTimeOffset Now = Start;

    private static OpenDisputeCommand Valid() => OpenCommand(Order(Now.AddDays(-1), RegionCode)) with
    {
        Consumer = new ConsumerInfo(ConsumerRef, "Li Lei", "+86 138-0000-1234"),
    };

    private static OpenDisputeCommand WithOrder(Func<OrderContext, OrderContext> change)
    {
        var c = Valid();
        return c with { Order = change(c.Order) };
    }

    private static OpenDisputeCommand WithMobile(string mobile)
    {
        var c = Valid();
        return c with { Consumer = c.Consumer with { Mobile = mobile } };
    }

    private static OpenDisputeCommand WithEvidence(EvidenceRef e) => Valid() with { Evidence = [e] };

    // One mistake per case, named for the test output; each must produce exactly one violation.
    private static readonly Dictionary<string, Func<OpenDisputeCommand>> Invalid = new()
    {
        ["request_id missing"] = () => Valid() with { RequestId = "" },
        ["request_id with spaces"] = () => Valid() with { RequestId = "my request 1" },
        ["request_id of 65 chars"] = () => Valid() with { RequestId = new string('r', 65) },
        ["channel_order_id missing"] = () => WithOrder(o => o with { ChannelOrderId = "" }),
        ["merchant_id with spaces"] = () => WithOrder(o => o with { MerchantId = "west lake" }),
        ["order amount missing"] = () => WithOrder(o => o with { Amount = null }),
        ["order amount negative"] = () => WithOrder(o => o with { Amount = Cny(-1) }),
        ["order amount zero"] = () => WithOrder(o => o with { Amount = Cny(0) }),
        ["order currency lower case"] = () => WithOrder(o => o with { Amount = new Money("cny", 25_800) }),
        ["pay_time missing"] = () => WithOrder(o => o with { PaidAt = null }),
        ["pay_time beyond clock skew"] = () => WithOrder(o => o with { PaidAt = Now + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1) }),
        ["region_code malformed"] = () => WithOrder(o => o with { RegionCode = "990106" }),
        ["line item quantity 0"] = () => WithOrder(o => o with { LineItems = [new LineItem("s", "tea", 0, null)] }),
        ["101 line items"] = () => WithOrder(o => o with { LineItems = [.. Enumerable.Repeat(new LineItem("s", "tea", 1, null), 101)] }),
        ["consumer_ref missing"] = () => Valid() with { Consumer = Valid().Consumer with { ConsumerRef = "" } },
        ["consumer name missing"] = () => Valid() with { Consumer = Valid().Consumer with { Name = " " } },
        ["mobile of 12345678901"] = () => WithMobile("12345678901"),
        ["mobile of 10 digits"] = () => WithMobile("1380000123"),
        ["mobile of letters"] = () => WithMobile("abc"),
        ["mobile empty"] = () => WithMobile(""),
        ["category unspecified"] = () => Valid() with { Category = Category.Unspecified },
        ["category 99"] = () => Valid() with { Category = (Category)99 },
        ["remedy unspecified"] = () => Valid() with { Demand = new Demand(Remedy.Unspecified, null) },
        ["remedy 99"] = () => Valid() with { Demand = new Demand((Remedy)99, null) },
        ["demand amount negative"] = () => Valid() with { Demand = new Demand(Remedy.PartialRefund, Cny(-100)) },
        ["full refund above order"] = () => Valid() with { Demand = new Demand(Remedy.FullRefund, Cny(OrderFen + 1)) },
        ["partial refund above order"] = () => Valid() with { Demand = new Demand(Remedy.PartialRefund, Cny(OrderFen + 1)) },
        ["partial refund without amount"] = () => Valid() with { Demand = new Demand(Remedy.PartialRefund, null) },
        ["return and refund above order"] = () => Valid() with { Demand = new Demand(Remedy.ReturnAndRefund, Cny(OrderFen + 1)) },
        ["compensation above 3x"] = () => Valid() with { Demand = new Demand(Remedy.Compensation, Cny(3 * OrderFen + 1)) },
        ["food compensation above 10x"] = () => Valid() with
        {
            Category = Category.FoodSafety, Demand = new Demand(Remedy.Compensation, Cny(10 * OrderFen + 1)),
        },
        ["demand currency mismatch"] = () => Valid() with { Demand = new Demand(Remedy.PartialRefund, new Money("USD", 100)) },
        ["description empty"] = () => Valid() with { Description = "" },
        ["description whitespace"] = () => Valid() with { Description = "  \n " },
        ["description of 2001 chars"] = () => Valid() with { Description = new string('x', 2001) },
        ["11 evidence refs"] = () => Valid() with { Evidence = [.. Enumerable.Range(0, 11).Select(Evidence)] },
        ["evidence sha256 upper case"] = () => WithEvidence(Evidence() with { Sha256 = Evidence().Sha256.ToUpperInvariant() }),
        ["evidence sha256 of 63 chars"] = () => WithEvidence(Evidence() with { Sha256 = Evidence().Sha256[1..] }),
        ["evidence ftp uri"] = () => WithEvidence(Evidence() with { Uri = "ftp://example.com/a.jpg" }),
        ["evidence relative uri"] = () => WithEvidence(Evidence() with { Uri = "evidence/a.jpg" }),
        ["evidence size 0"] = () => WithEvidence(Evidence() with { SizeBytes = 0 }),
        ["evidence above 100 MiB"] = () => WithEvidence(Evidence() with { SizeBytes = 100L * 1024 * 1024 + 1 }),
        ["evidence content type missing"] = () => WithEvidence(Evidence() with { ContentType = "" }),
    };

    private static readonly Dictionary<string, Func<OpenDisputeCommand>> ValidEdges = new()
    {
        ["request_id of 64 chars"] = () => Valid() with { RequestId = new string('r', 64) },
        ["pay_time 5 minutes ahead (clock skew)"] = () => WithOrder(o => o with { PaidAt = Now + TimeSpan.FromMinutes(5) }),
        ["no region, no store"] = () => WithOrder(o => o with { RegionCode = "", StoreId = "" }),
        ["description of 2000 chars"] = () => Valid() with { Description = new string('x', 2000) },
        ["10 evidence refs"] = () => Valid() with { Evidence = [.. Enumerable.Range(0, 10).Select(Evidence)] },
        ["no evidence"] = () => Valid() with { Evidence = [] },
        ["evidence of exactly 100 MiB"] = () => WithEvidence(Evidence() with { SizeBytes = 100L * 1024 * 1024 }),
        ["full refund without amount"] = () => Valid() with { Demand = new Demand(Remedy.FullRefund, null) },
        ["full refund of the order amount"] = () => Valid() with { Demand = new Demand(Remedy.FullRefund, Cny(OrderFen)) },
        ["compensation at 3x"] = () => Valid() with { Demand = new Demand(Remedy.Compensation, Cny(3 * OrderFen)) },
        ["food compensation at 10x"] = () => Valid() with
        {
            Category = Category.FoodSafety, Demand = new Demand(Remedy.Compensation, Cny(10 * OrderFen)),
        },
        ["compensation at the CNY 500 floor"] = () => WithOrder(o => o with { Amount = Cny(100) }) with
        {
            Demand = new Demand(Remedy.Compensation, Cny(RemedyRules.MinimumCompensationFen)),
        },
        ["exchange with amount 0"] = () => Valid() with { Demand = new Demand(Remedy.Exchange, Cny(0)) },
    };

    public static TheoryData<string, string> InvalidCases() => new()
    {
        { "request_id missing", "request_id" },
        { "request_id with spaces", "request_id" },
        { "request_id of 65 chars", "request_id" },
        { "channel_order_id missing", "order.channel_order_id" },
        { "merchant_id with spaces", "order.merchant_id" },
        { "order amount missing", "order.amount" },
        { "order amount negative", "order.amount.minor_units" },
        { "order amount zero", "order.amount.minor_units" },
        { "order currency lower case", "order.amount.currency_code" },
        { "pay_time missing", "order.pay_time" },
        { "pay_time beyond clock skew", "order.pay_time" },
        { "region_code malformed", "order.region_code" },
        { "line item quantity 0", "order.line_items[0].quantity" },
        { "101 line items", "order.line_items" },
        { "consumer_ref missing", "consumer.consumer_ref" },
        { "consumer name missing", "consumer.name" },
        { "mobile of 12345678901", "consumer.mobile" },
        { "mobile of 10 digits", "consumer.mobile" },
        { "mobile of letters", "consumer.mobile" },
        { "mobile empty", "consumer.mobile" },
        { "category unspecified", "category" },
        { "category 99", "category" },
        { "remedy unspecified", "demand.remedy" },
        { "remedy 99", "demand.remedy" },
        { "demand amount negative", "demand.amount.minor_units" },
        { "full refund above order", "demand.amount" },
        { "partial refund above order", "demand.amount" },
        { "partial refund without amount", "demand.amount" },
        { "return and refund above order", "demand.amount" },
        { "compensation above 3x", "demand.amount" },
        { "food compensation above 10x", "demand.amount" },
        { "demand currency mismatch", "demand.amount.currency_code" },
        { "description empty", "description" },
        { "description whitespace", "description" },
        { "description of 2001 chars", "description" },
        { "11 evidence refs", "evidence" },
        { "evidence sha256 upper case", "evidence[0].sha256" },
        { "evidence sha256 of 63 chars", "evidence[0].sha256" },
        { "evidence ftp uri", "evidence[0].uri" },
        { "evidence relative uri", "evidence[0].uri" },
        { "evidence size 0", "evidence[0].size_bytes" },
        { "evidence above 100 MiB", "evidence[0].size_bytes" },
        { "evidence content type missing", "evidence[0].content_type" },
    };

    public static TheoryData<string> ValidEdgeCases() => [.. ValidEdges.Keys];

    [Fact]
    public void InvalidCases_EveryCaseHasAnExpectedField()
    {
        // Arrange
        var listed = InvalidCases().Select(row => (string)row[0]).ToHashSet();

        // Act
        var missing = Invalid.Keys.Where(k => !listed.Contains(k)).ToList();

        // Assert
        Assert.Empty(missing);
        Assert.Equal(Invalid.Count, listed.Count);
    }

    [Fact]
    public void Validate_ValidOpenDispute_ReturnsCommandWithNormalisedMobile()
    {
        // Arrange
        var command = Valid();

        // Act
        var validated = CommandValidation.Validate(command, Now);

        // Assert
        Assert.Equal("13800001234", validated.Consumer.Mobile);
        Assert.Equal(command with { Consumer = command.Consumer with { Mobile = "13800001234" } }, validated);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_OneMistake_OneViolationOnItsProtoPath(string mistake, string field)
    {
        // Arrange
        var command = Invalid[mistake]();

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command, Now));

        // Assert
        var violation = Assert.Single(ex.Violations);
        Assert.Equal(field, violation.Field);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
    }

    [Theory]
    [MemberData(nameof(ValidEdgeCases))]
    public void Validate_ValueAtTheLimit_Accepted(string edge)
    {
        // Arrange
        var command = ValidEdges[edge]();

        // Act
        var ex = Record.Exception(() => CommandValidation.Validate(command, Now));

        // Assert
        Assert.Null(ex);
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("+86 128-0000-1234")]
    [InlineData("1380000123")]
    [InlineData("138 0000 12345")]
    public void Validate_RejectedMobile_NumberNotInViolationOrMessage(string mobile)
    {
        // Arrange
        var command = WithMobile(mobile);
        var digits = new string([.. mobile.Where(char.IsAsciiDigit)]);

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command, Now));

        // Assert
        var violation = Assert.Single(ex.Violations, v => v.Field == "consumer.mobile");
        Assert.DoesNotContain(mobile, violation.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(digits, violation.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(digits[^7..], ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(mobile, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyMistakes_AllReportedTogether()
    {
        // Arrange
        var c = Valid();
        var command = c with
        {
            RequestId = "",
            Order = c.Order with { Amount = Cny(-5) },
            Consumer = c.Consumer with { Mobile = "12345678901" },
            Description = "",
            Evidence = [Evidence() with { Sha256 = "not-a-digest" }],
        };

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command, Now));

        // Assert
        Assert.True(ex.Violations.Count > 1);
        var fields = ex.Violations.Select(v => v.Field).ToList();
        Assert.Contains("request_id", fields);
        Assert.Contains("order.amount.minor_units", fields);
        Assert.Contains("consumer.mobile", fields);
        Assert.Contains("description", fields);
        Assert.Contains("evidence[0].sha256", fields);
        Assert.Equal(5, ex.Violations.Count);
    }

    // Regression (bug found and fixed): CommandValidation.Validate checks the demand against the
    // order only while no other violation has been found (`&& v.IsEmpty`), so one unrelated mistake
    // hides the demand's. The client fixes the mobile, resubmits, and only then learns the demand is
    // wrong: two round trips where Violations promises one.
    [Fact]
    public void Validate_BadMobileAndDemandAboveOrder_BothReported()
    {
        // Arrange
        var c = WithMobile("12345678901");
        var command = c with { Demand = new Demand(Remedy.PartialRefund, Cny(OrderFen + 1)) };

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command, Now));

        // Assert
        var fields = ex.Violations.Select(v => v.Field).ToList();
        Assert.Contains("consumer.mobile", fields);
        Assert.Contains("demand.amount", fields);
    }

    // Regression (bug found and fixed): RemedyRules.CompensationCeiling multiplies the order
    // amount with `checked`, and nothing bounds order.amount.minor_units, so a client's compensation
    // demand on a huge order throws OverflowException: a malformed request becomes INTERNAL instead
    // of INVALID_ARGUMENT.
    [Fact]
    public void Validate_CompensationOnHugeOrderAmount_DomainOutcomeNotOverflow()
    {
        // Arrange
        var command = WithOrder(o => o with { Amount = Cny(long.MaxValue / 2) }) with
        {
            Demand = new Demand(Remedy.Compensation, Cny(100)),
        };

        // Act
        var ex = Record.Exception(() => CommandValidation.Validate(command, Now));

        // Assert: accepted, or refused as invalid input; anything else reaches the client as INTERNAL.
        Assert.True(ex is null or ValidationException, $"expected success or ValidationException, got {ex?.GetType().Name}");
    }

    [Fact]
    public void Validate_PostMessageWithBadIdsAndEmptyText_AllViolations()
    {
        // Arrange
        var command = new PostMessageCommand("", "dsp_123", "", [Evidence() with { Uri = "x" }]);

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command));

        // Assert
        Assert.Equal(["request_id", "dispute_id", "text", "evidence[0].uri"], ex.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Validate_PostMessageValid_NoThrow()
    {
        // Arrange
        var command = new PostMessageCommand(RequestId(), Ids.New("dsp", Now), "hello", [Evidence()]);

        // Act
        var ex = Record.Exception(() => CommandValidation.Validate(command));

        // Assert
        Assert.Null(ex);
    }

    [Fact]
    public void Validate_MakeOfferWithoutRemedyAndNegativeAmount_BothReported()
    {
        // Arrange
        var command = new MakeOfferCommand(RequestId(), Ids.New("dsp", Now), Remedy.Unspecified, Cny(-1), "");

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command));

        // Assert
        Assert.Equal(["remedy", "amount.minor_units"], ex.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9T", OfferDecision.Accept, "offer_id")]
    [InlineData("off_01JCQ8ZK3C7J4M2V0N8X5P6R9T", OfferDecision.Unspecified, "decision")]
    [InlineData("off_01JCQ8ZK3C7J4M2V0N8X5P6R9T", (OfferDecision)7, "decision")]
    public void Validate_RespondToOfferMalformed_ViolationOnField(string offerId, OfferDecision decision, string field)
    {
        // Arrange
        var command = new RespondToOfferCommand(RequestId(), Ids.New("dsp", Now), offerId, decision, "");

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(command));

        // Assert
        Assert.Equal(field, Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData(Outcome.ResolvedByMediation, true, null)]
    [InlineData(Outcome.Unresolved, false, null)]
    [InlineData(Outcome.ResolvedByMediation, false, "settlement")]
    [InlineData(Outcome.Unresolved, true, "settlement")]
    [InlineData(Outcome.ResolvedByNegotiation, true, "outcome")]
    [InlineData(Outcome.Withdrawn, false, "outcome")]
    [InlineData(Outcome.Unspecified, false, "outcome")]
    public void Validate_MediationOutcome_SettlementRequiredExactlyWhenResolved(Outcome outcome, bool withSettlement, string? field)
    {
        // Arrange
        var settlement = withSettlement ? new Settlement(Remedy.PartialRefund, Cny(100)) : null;
        var command = new RecordMediationOutcomeCommand(RequestId(), Ids.New("dsp", Now), outcome, settlement, "");

        // Act
        var ex = Record.Exception(() => CommandValidation.Validate(command));

        // Assert
        if (field is null)
        {
            Assert.Null(ex);
        }
        else
        {
            Assert.Equal(field, Assert.Single(Assert.IsType<ValidationException>(ex).Violations).Field);
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Validate_Rating_OneToFive(int rating, bool accepted)
    {
        // Arrange
        var command = new RateResolutionCommand(RequestId(), Ids.New("dsp", Now), rating, "");

        // Act
        var ex = Record.Exception(() => CommandValidation.Validate(command));

        // Assert
        Assert.Equal(accepted, ex is null);
        if (!accepted)
        {
            Assert.Equal("rating", Assert.Single(Assert.IsType<ValidationException>(ex).Violations).Field);
        }
    }

    [Fact]
    public void Validate_NoteOnlyCommandWithLongNote_ViolationOnNote()
    {
        // Arrange
        var note = new string('n', 2001);

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.Validate(RequestId(), Ids.New("dsp", Now), note));

        // Assert
        Assert.Equal("note", Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dsp_")]
    [InlineData("off_01JCQ8ZK3C7J4M2V0N8X5P6R9T")]
    public void ValidateDisputeId_Malformed_ViolationOnDisputeId(string disputeId)
    {
        // Arrange: see the inline data.

        // Act
        var ex = Assert.Throws<ValidationException>(() => CommandValidation.ValidateDisputeId(disputeId));

        // Assert
        Assert.Equal("dispute_id", Assert.Single(ex.Violations).Field);
    }
}
