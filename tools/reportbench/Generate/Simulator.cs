using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>An outcome record owed to the export, at the time of the event that caused it.</summary>
internal sealed record PendingOutcome(DateTimeOffset At, OutcomeRecord Record, int Partition);

/// <summary>A simulated dispute: its state at the end of the history and the outcome records it produced.</summary>
internal sealed record SimulatedDispute(Dispute Final, IReadOnlyList<PendingOutcome> Outcomes);

/// <summary>
/// Plays one dispute's life through the real state machine (Core's DisputeRules: every move is
/// checked as the service checks it, and the state is the same fold of the same events) with the
/// deadline worker's ticks at the deadlines, and stops at the end of the history: what would
/// happen later does not happen, so the last weeks' disputes are partly still open.
/// </summary>
internal sealed class Simulator(World world, IRegionPolicyProvider policies, DateTimeOffset horizon)
{
    private static readonly Dictionary<Category, WeightedChoice> RemedyChoices = new()
    {
        // Remedy order: FullRefund, PartialRefund, ReturnAndRefund, Exchange, Repair, Compensation, Apology, Other.
        [Category.AfterSales] = new([0.22, 0.18, 0.12, 0.14, 0.22, 0.04, 0.05, 0.03]),
        [Category.Quality] = new([0.16, 0.10, 0.36, 0.22, 0.10, 0.05, 0.00, 0.01]),
        [Category.FoodSafety] = new([0.35, 0.05, 0.00, 0.00, 0.00, 0.55, 0.05, 0.00]),
        [Category.Price] = new([0.25, 0.65, 0.05, 0.00, 0.00, 0.03, 0.00, 0.02]),
        [Category.Contract] = new([0.50, 0.35, 0.00, 0.00, 0.00, 0.05, 0.02, 0.08]),
        [Category.FalseAdvertising] = new([0.40, 0.15, 0.10, 0.00, 0.00, 0.33, 0.02, 0.00]),
        [Category.Delivery] = new([0.55, 0.25, 0.05, 0.05, 0.00, 0.03, 0.05, 0.02]),
        [Category.Safety] = new([0.35, 0.00, 0.25, 0.10, 0.00, 0.28, 0.02, 0.00]),
        [Category.PersonalRights] = new([0.00, 0.00, 0.00, 0.00, 0.00, 0.20, 0.65, 0.15]),
        [Category.Other] = new([0.25, 0.25, 0.05, 0.05, 0.05, 0.05, 0.15, 0.15]),
    };

    private static readonly Remedy[] RemedyOrder =
    [
        Remedy.FullRefund, Remedy.PartialRefund, Remedy.ReturnAndRefund, Remedy.Exchange, Remedy.Repair,
        Remedy.Compensation, Remedy.Apology, Remedy.Other,
    ];

    /// <summary>The field's category shares: after-sales 33%, quality 30%, false advertising 17%, price 8%, the other 12% spread.</summary>
    public static readonly (Category Category, double Share)[] CategoryShares =
    [
        (Category.AfterSales, 0.33), (Category.Quality, 0.30), (Category.FalseAdvertising, 0.17), (Category.Price, 0.08),
        (Category.FoodSafety, 0.035), (Category.Contract, 0.025), (Category.Delivery, 0.025), (Category.Safety, 0.01),
        (Category.PersonalRights, 0.01), (Category.Other, 0.015),
    ];

    private static readonly WeightedChoice CategoryChoice = new(CategoryShares.Select(c => c.Share).ToArray());

    private static readonly double[][] Ratings =
    [
        [0.03, 0.03, 0.08, 0.24, 0.62], // resolved by negotiation
        [0.06, 0.07, 0.17, 0.30, 0.40], // resolved by mediation
        [0.55, 0.25, 0.12, 0.05, 0.03], // unresolved
        [0.10, 0.10, 0.30, 0.25, 0.25], // withdrawn
    ];

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public SimulatedDispute Run(Random rng, DateTimeOffset openedAt)
    {
        var merchant = world.Merchants[world.MerchantChoice.Next(rng)];
        var store = merchant.Stores[merchant.StoreChoice!.Next(rng)];
        var channel = World.Channels[world.ChannelChoice.Next(rng)];
        var category = CategoryShares[CategoryChoice.Next(rng)].Category;
        var command = OpenCommand(rng, openedAt, merchant, store, channel, category);
        command = CommandValidation.Validate(command, openedAt);
        var merchantRecord = merchant.Enrolled ? new MerchantRecord(merchant.Id, merchant.Name, merchant.EnrolledAt) : null;
        var storeRecord = merchant.Enrolled ? new StoreRecord(merchant.Id, store.StoreId, store.Name, store.Address, store.County.Code) : null;
        var opened = DisputeRules.Open(command, channel.Id, merchantRecord, storeRecord, policies, openedAt).State;
        // Core's ids come from a crypto RNG; a seeded id keeps the history reproducible (same format).
        var life = new Life(rng, merchant, opened with { DisputeId = Draw.Ulid(rng, "dsp", openedAt) }, horizon);
        life.Play();
        Invariants.Check(life.State);
        return new SimulatedDispute(life.State, life.Outcomes);
    }

    private static OpenDisputeCommand OpenCommand(Random rng, DateTimeOffset openedAt, Merchant merchant, Store store, Channel channel, Category category)
    {
        // Order amount: log-normal around the trade's typical ticket; "nice" prices.
        var yuan = Math.Clamp(Draw.LogNormal(rng, merchant.Trade.MedianYuan, merchant.Trade.Sigma), 1.0, 200_000.0);
        var fen = yuan < 100 ? (long)Math.Round(yuan * 10) * 10 : (long)Math.Round(yuan) * 100;
        if (yuan >= 20 && Draw.Chance(rng, 0.3))
        {
            fen -= 10; // ¥x9.90 pricing
        }
        fen = Math.Max(fen, 100);
        var amount = new Money("CNY", fen);
        // Paid before opening, within the 30-day window: mostly a day or two before.
        var sincePaid = rng.NextDouble() switch
        {
            < 0.62 => Draw.Duration(rng, TimeSpan.FromHours(6), 1.2, TimeSpan.FromMinutes(3), TimeSpan.FromDays(3)),
            < 0.92 => TimeSpan.FromHours(rng.Next(48, 24 * 14)) + TimeSpan.FromSeconds(rng.Next(3600)),
            _ => TimeSpan.FromHours(rng.Next(24 * 14, (24 * 29) + 20)) + TimeSpan.FromSeconds(rng.Next(3600)),
        };
        // Channels send whole seconds.
        var paidAt = DateTimeOffset.FromUnixTimeSeconds((openedAt - sincePaid).ToUnixTimeSeconds() - rng.Next(1, 60));
        var items = LineItems(rng, merchant.Trade, amount);
        var order = new OrderContext(
            Texts.OrderId(rng, channel.Id, paidAt), merchant.Id, store.StoreId, amount, paidAt, items,
            Draw.Pick(rng, channel.PaymentMethods), merchant.Name, store.Name, store.County.Code, store.Address);
        var consumer = new ConsumerInfo(Texts.ConsumerRef(rng, channel.Id), Texts.PersonName(rng), Texts.Mobile(rng));
        var remedy = RemedyOrder[RemedyChoices[category].Next(rng)];
        var demand = new Demand(remedy, DemandAmount(rng, remedy, category, amount));
        var evidence = new List<EvidenceRef>();
        var evidenceCount = rng.NextDouble() switch { < 0.35 => 0, < 0.70 => 1, < 0.90 => 2, _ => 3 };
        for (var i = 0; i < evidenceCount; i++)
        {
            var video = Draw.Chance(rng, 0.1);
            evidence.Add(new EvidenceRef(
                $"https://evidence.{channel.Id}.example.cn/{Draw.Hex(rng, 16)}/{i + 1}.{(video ? "mp4" : "jpg")}",
                Draw.Hex(rng, 64), video ? "video/mp4" : "image/jpeg",
                video ? rng.Next(2_000_000, 60_000_000) : rng.Next(80_000, 4_000_000)));
        }
        return new OpenDisputeCommand(
            "req-" + Draw.Hex(rng, 24), order, consumer, category, demand,
            Texts.Complaint(rng, category, items[0].Name), evidence);
    }

    private static List<LineItem> LineItems(Random rng, Trade trade, Money amount)
    {
        var n = amount.MinorUnits < 2_000 ? 1 : rng.NextDouble() switch { < 0.7 => 1, < 0.92 => 2, _ => 3 };
        var items = new List<LineItem>(n);
        var left = amount.MinorUnits;
        for (var i = 0; i < n; i++)
        {
            var part = i == n - 1 ? left : Math.Max(1, (long)(left * (0.4 + (0.4 * rng.NextDouble()))));
            left -= part;
            var quantity = part >= 200 && part % 2 == 0 && Draw.Chance(rng, 0.2) ? 2 : 1;
            items.Add(new LineItem("SKU" + Draw.Digits(rng, 9), Draw.Pick(rng, trade.Items), quantity, new Money(amount.Currency, part / quantity)));
        }
        return items;
    }

    private static Money? DemandAmount(Random rng, Remedy remedy, Category category, Money order) => remedy switch
    {
        Remedy.FullRefund => Draw.Chance(rng, 0.5) ? order : null,
        Remedy.PartialRefund => order with { MinorUnits = Portion(rng, order.MinorUnits, 0.1, 0.7) },
        Remedy.ReturnAndRefund => order,
        Remedy.Compensation => order with
        {
            // Usually the statutory amount (退一赔三, min ¥500; food safety 10×, min ¥1,000), sometimes less.
            MinorUnits = Draw.Chance(rng, 0.7)
                ? RemedyRules.CompensationCeiling(category, order.MinorUnits)
                : Portion(rng, RemedyRules.CompensationCeiling(category, order.MinorUnits), 0.2, 0.9),
        },
        Remedy.Other => Draw.Chance(rng, 0.5) ? order with { MinorUnits = Portion(rng, order.MinorUnits, 0.05, 0.5) } : null,
        _ => null,
    };

    /// <summary>A share of an amount, rounded to yuan above ¥100, at least 1 fen and at most the amount.</summary>
    private static long Portion(Random rng, long minor, double low, double high)
    {
        var x = minor * (low + ((high - low) * rng.NextDouble()));
        var rounded = x > 10_000 ? Math.Round(x / 100) * 100 : Math.Round(x);
        return Math.Clamp((long)rounded, 1, minor);
    }

    private enum Act
    {
        None,
        MerchantMessage,
        MerchantOffer,
        MerchantAcceptDemand,
        MerchantLateMessage,
        ConsumerAccept,
        ConsumerReject,
        ConsumerEscalate,
        ConsumerWithdraw,
        MediationResolved,
        MediationFailed,
        Rate,
    }

    private sealed record Plan(Act Act, DateTimeOffset At);

    private static readonly Plan Nothing = new(Act.None, DateTimeOffset.MaxValue);

    /// <summary>One dispute's life, step by step.</summary>
    private sealed class Life(Random rng, Merchant merchant, Dispute opened, DateTimeOffset horizon)
    {
        private readonly TimeSpan _pollDelay = TimeSpan.FromMilliseconds(rng.Next(30, 1000));
        private readonly Actor _consumer = new(ActorRole.Consumer, opened.Consumer.ConsumerRef);
        private readonly Actor _merchant = new(ActorRole.Merchant, merchant.Id);
        private readonly Actor _regulator = new(ActorRole.Regulator, opened.RegionCode[..4]);
        private readonly int _partition = FeedCursor.PartitionOf(opened.DisputeId);
        private Plan? _plan;
        private DateTimeOffset _last = opened.CreatedAt;
        private DateTimeOffset? _lateMessageAt;
        private int _offers;
        private int _rejections;
        private bool _ratingPlanned;

        public Dispute State { get; private set; } = opened;

        public List<PendingOutcome> Outcomes { get; } = [];

        public void Play()
        {
            for (var steps = 0; steps < 100; steps++)
            {
                _plan ??= Whole(Next());
                var timer = State.NextTimerAt;
                var fire = timer is { } due ? Ms(due + _pollDelay) : (DateTimeOffset?)null;
                if (fire is { } f && f <= _plan.At)
                {
                    if (f > horizon)
                    {
                        return;
                    }
                    var change = DisputeRules.Tick(State, f) ?? throw new InvalidOperationException("a due timer found nothing to do");
                    var status = State.Status;
                    Apply(change, f);
                    if (State.Status != status)
                    {
                        _plan = null;
                    }
                    continue;
                }
                if (_plan.Act == Act.None || _plan.At > horizon)
                {
                    return;
                }
                Apply(Execute(_plan), _plan.At);
                _last = _plan.At;
                _plan = null;
            }
            throw new InvalidOperationException($"dispute {State.DisputeId} did not settle in 100 steps");
        }

        // Every event happens at a whole millisecond: the service takes its times from Clock.Now, which truncates to ms
        // (and the raw GROUP BY reads millisecond columns, so the rollups are only comparable with it on such times).
        private static DateTimeOffset Ms(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

        private static Plan Whole(Plan p) => p.At == DateTimeOffset.MaxValue ? p : p with { At = Ms(p.At) };

        private void Apply(DisputeChange change, DateTimeOffset at)
        {
            var before = State;
            State = change.State;
            if (OutcomeRecord.For(before, State) is { } record)
            {
                Outcomes.Add(new PendingOutcome(at, record, _partition));
            }
        }

        private DateTimeOffset After(TimeSpan median, double sigma, TimeSpan min, TimeSpan max) =>
            _last + Draw.Duration(rng, median, sigma, min, max);

        // What the parties do next in the current state (drawn once per state; deadline warnings keep it).
        private Plan Next()
        {
            var d = State;
            switch (d.Status)
            {
                case DisputeStatus.AwaitingMerchant:
                    return FirstResponse(d);
                case DisputeStatus.Negotiating when d.PendingOffer is not null:
                    {
                        var at = After(TimeSpan.FromHours(2.5), 1.1, TimeSpan.FromMinutes(1), TimeSpan.FromDays(6));
                        var accept = _offers switch { 1 => 0.80, 2 => 0.72, _ => 0.62 } * merchant.Fairness;
                        return Choose(at, (Act.ConsumerAccept, accept), (Act.ConsumerReject, 0.12), (Act.ConsumerWithdraw, 0.013),
                            (Act.ConsumerEscalate, 0.03), (Act.None, 0.01));
                    }
                case DisputeStatus.Negotiating:
                    return MerchantTurn();
                case DisputeStatus.Escalated:
                    return Mediation(d);
                default:
                    return Rating(d);
            }
        }

        private Plan FirstResponse(Dispute d)
        {
            var x = rng.NextDouble();
            if (x < merchant.SilenceRate)
            {
                // Never answers in time: the worker escalates at the deadline; a few write afterwards.
                if (Draw.Chance(rng, 0.25))
                {
                    _lateMessageAt = d.FirstResponseDueAt + Draw.Duration(rng, TimeSpan.FromHours(20), 1.0, TimeSpan.FromMinutes(5), TimeSpan.FromDays(10));
                }
                return Draw.Chance(rng, 0.03)
                    ? new Plan(Act.ConsumerWithdraw, After(TimeSpan.FromHours(30), 0.8, TimeSpan.FromHours(1), TimeSpan.FromHours(95)))
                    : Nothing;
            }
            var demandCheap = d.Order.Amount!.MinorUnits <= 20_000 && Measures.IsRefund(d.Demand.Remedy);
            if (merchant.InstantRefund && demandCheap)
            {
                return new Plan(Act.MerchantAcceptDemand, d.CreatedAt + TimeSpan.FromMilliseconds(rng.Next(800, 8000)));
            }
            var delay = Draw.Duration(rng, TimeSpan.FromMinutes(35 * merchant.Slowness), 1.3, TimeSpan.FromSeconds(20), TimeSpan.FromHours(95));
            var at = d.CreatedAt + delay;
            var local = at.ToOffset(Beijing);
            if ((local.Hour >= 23 || local.Hour < 8) && Draw.Chance(rng, 0.85))
            {
                // Nobody at the shop at night: answered the next morning.
                var morning = new DateTimeOffset(local.Date, Beijing).AddHours(local.Hour >= 23 ? 32 : 8);
                at = morning + TimeSpan.FromSeconds(rng.Next(0, 9000));
            }
            if (at >= d.FirstResponseDueAt)
            {
                at = d.FirstResponseDueAt - TimeSpan.FromMinutes(rng.Next(5, 600));
            }
            var y = rng.NextDouble();
            return y < 0.20 * merchant.Fairness ? new Plan(Act.MerchantAcceptDemand, at)
                : y < 0.55 ? new Plan(Act.MerchantOffer, at)
                : new Plan(Act.MerchantMessage, at);
        }

        private Plan MerchantTurn()
        {
            var merchantAt = After(TimeSpan.FromHours(2 * merchant.Slowness), 1.0, TimeSpan.FromMinutes(2), TimeSpan.FromDays(6.5));
            var escalateAt = After(TimeSpan.FromHours(24), 0.7, TimeSpan.FromMinutes(10), TimeSpan.FromDays(6.9));
            var withdrawAt = After(TimeSpan.FromHours(24), 1.0, TimeSpan.FromMinutes(10), TimeSpan.FromDays(6.9));
            var f = merchant.Fairness;
            var (offer, accept, withdraw, escalate, nothing) = (_rejections, _offers) switch
            {
                (0, _) => (0.68 * f, 0.15 * f, 0.045, 0.065, 0.02),
                (_, < 3) => (0.60 * f, 0.14 * f, 0.04, 0.13, 0.02),
                _ => (0.0, 0.25 * f, 0.07, 0.50, 0.04),
            };
            var pick = Choose(DateTimeOffset.MinValue, (Act.MerchantOffer, offer), (Act.MerchantAcceptDemand, accept),
                (Act.ConsumerWithdraw, withdraw), (Act.ConsumerEscalate, escalate), (Act.None, nothing));
            return pick.Act switch
            {
                Act.MerchantOffer or Act.MerchantAcceptDemand => pick with { At = merchantAt },
                Act.ConsumerWithdraw => pick with { At = withdrawAt },
                Act.ConsumerEscalate => pick with { At = escalateAt },
                _ => Nothing,
            };
        }

        // One of the acts, with probability weight / sum of weights; Act.None is "nobody acts".
        private Plan Choose(DateTimeOffset at, params (Act Act, double Weight)[] acts)
        {
            var x = rng.NextDouble() * acts.Sum(a => a.Weight);
            foreach (var (act, weight) in acts)
            {
                x -= weight;
                if (x < 0)
                {
                    return act == Act.None ? Nothing : new Plan(act, at);
                }
            }
            return Nothing;
        }

        private Plan Mediation(Dispute d)
        {
            if (_lateMessageAt is { } late)
            {
                _lateMessageAt = null;
                if (late > d.EscalatedAt)
                {
                    return new Plan(Act.MerchantLateMessage, late);
                }
            }
            var escalatedAt = d.EscalatedAt!.Value;
            var x = rng.NextDouble();
            if (x < 0.04)
            {
                return new Plan(Act.ConsumerWithdraw, Max(_last, escalatedAt) + Draw.Duration(rng, TimeSpan.FromDays(3), 0.9, TimeSpan.FromHours(1), TimeSpan.FromDays(30)));
            }
            var at = Max(_last, escalatedAt) + Draw.Duration(rng, TimeSpan.FromDays(6), 0.7, TimeSpan.FromHours(3), TimeSpan.FromDays(45));
            var success = d.EscalationReason == EscalationReason.MerchantNotEnrolled ? 0.55 : 0.63;
            return new Plan(x < 0.04 + (success * 0.96) ? Act.MediationResolved : Act.MediationFailed, at);
        }

        private Plan Rating(Dispute d)
        {
            if (_ratingPlanned || d.SatisfactionRating != 0)
            {
                return Nothing;
            }
            _ratingPlanned = true;
            var p = d.Outcome switch
            {
                Outcome.ResolvedByNegotiation => 0.66,
                Outcome.ResolvedByMediation => 0.55,
                Outcome.Unresolved => 0.45,
                _ => 0.12,
            };
            return Draw.Chance(rng, p)
                ? new Plan(Act.Rate, d.ClosedAt!.Value + Draw.Duration(rng, TimeSpan.FromHours(3), 1.5, TimeSpan.FromSeconds(30), TimeSpan.FromDays(10)))
                : Nothing;
        }

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        private string Request() => "req-" + Draw.Hex(rng, 24);

        private DisputeChange Execute(Plan plan)
        {
            var d = State;
            var now = plan.At;
            switch (plan.Act)
            {
                case Act.MerchantMessage:
                case Act.MerchantLateMessage:
                    {
                        var c = new PostMessageCommand(Request(), d.DisputeId, Draw.Pick(rng, Texts.MerchantMessages), []);
                        CommandValidation.Validate(c);
                        return DisputeRules.PostMessage(d, _merchant, c, now);
                    }
                case Act.MerchantOffer:
                    {
                        _offers++;
                        var (remedy, amount) = Offer(d, _offers);
                        var c = new MakeOfferCommand(Request(), d.DisputeId, remedy, amount, Draw.Pick(rng, Texts.OfferNotes));
                        CommandValidation.Validate(c);
                        var change = DisputeRules.MakeOffer(d, _merchant, c, now);
                        // Seeded offer id in place of Core's random one (same format).
                        var offer = change.State.CurrentOffer! with { OfferId = Draw.Ulid(rng, "off", now) };
                        return change with { State = change.State with { CurrentOffer = offer } };
                    }
                case Act.MerchantAcceptDemand:
                    {
                        var c = new AcceptDemandCommand(Request(), d.DisputeId, "");
                        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
                        return DisputeRules.AcceptDemand(d, _merchant, c, now);
                    }
                case Act.ConsumerAccept:
                case Act.ConsumerReject:
                    {
                        var accept = plan.Act == Act.ConsumerAccept;
                        if (!accept)
                        {
                            _rejections++;
                        }
                        var c = new RespondToOfferCommand(Request(), d.DisputeId, d.PendingOffer!.OfferId,
                            accept ? OfferDecision.Accept : OfferDecision.Reject, Texts.ConsumerNotes[accept ? rng.Next(2) : 2]);
                        CommandValidation.Validate(c);
                        return DisputeRules.RespondToOffer(d, _consumer, c, now);
                    }
                case Act.ConsumerEscalate:
                    {
                        var c = new EscalateDisputeCommand(Request(), d.DisputeId, Texts.ConsumerNotes[4]);
                        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
                        return DisputeRules.Escalate(d, _consumer, c, now);
                    }
                case Act.ConsumerWithdraw:
                    {
                        var c = new WithdrawDisputeCommand(Request(), d.DisputeId, Texts.ConsumerNotes[5 + rng.Next(2)]);
                        CommandValidation.Validate(c.RequestId, c.DisputeId, c.Note);
                        return DisputeRules.Withdraw(d, _consumer, c, now);
                    }
                case Act.MediationResolved:
                case Act.MediationFailed:
                    {
                        var resolved = plan.Act == Act.MediationResolved;
                        var c = new RecordMediationOutcomeCommand(Request(), d.DisputeId,
                            resolved ? Outcome.ResolvedByMediation : Outcome.Unresolved,
                            resolved ? MediatedSettlement(d) : null,
                            Texts.MediationNotes[resolved ? rng.Next(2) : 2 + rng.Next(2)]);
                        CommandValidation.Validate(c);
                        return DisputeRules.RecordMediationOutcome(d, _regulator, c, now);
                    }
                case Act.Rate:
                    {
                        var weights = Ratings[(int)d.Outcome - 1];
                        var x = rng.NextDouble();
                        var rating = 5;
                        for (var i = 0; i < weights.Length; i++)
                        {
                            x -= weights[i];
                            if (x < 0)
                            {
                                rating = i + 1;
                                break;
                            }
                        }
                        var c = new RateResolutionCommand(Request(), d.DisputeId, rating, Draw.Pick(rng, Texts.RatingComments));
                        CommandValidation.Validate(c);
                        return DisputeRules.Rate(d, _consumer, c, now);
                    }
                default:
                    throw new InvalidOperationException($"nothing to execute for {plan.Act}");
            }
        }

        // The merchant's n-th offer: closer to the demand each time.
        private (Remedy, Money?) Offer(Dispute d, int n)
        {
            var order = d.Order.Amount!;
            var share = n switch { 1 => 0.5, 2 => 0.75, _ => 0.9 };
            var demand = d.Demand;
            var x = rng.NextDouble();
            switch (demand.Remedy)
            {
                case Remedy.FullRefund or Remedy.ReturnAndRefund:
                    return x < 0.5 ? (Remedy.PartialRefund, Part(order, share))
                        : x < 0.8 ? (Remedy.ReturnAndRefund, order)
                        : (Remedy.Exchange, null);
                case Remedy.PartialRefund:
                    return (Remedy.PartialRefund, Part(demand.Amount!, Math.Min(1.0, share + 0.2)));
                case Remedy.Compensation:
                    return x < 0.6 ? (Remedy.Compensation, Part(demand.Amount!, share * 0.8))
                        : x < 0.85 ? (Remedy.FullRefund, null)
                        : (Remedy.PartialRefund, Part(order, share));
                case Remedy.Exchange or Remedy.Repair:
                    return x < 0.7 ? (demand.Remedy, null) : (Remedy.PartialRefund, Part(order, share * 0.4));
                case Remedy.Apology:
                    return x < 0.6 ? (Remedy.Apology, null) : (Remedy.Other, Part(order, 0.1));
                default:
                    return x < 0.5 ? (Remedy.Other, Part(order, share * 0.3)) : (Remedy.PartialRefund, Part(order, share * 0.5));
            }
        }

        private Settlement MediatedSettlement(Dispute d)
        {
            var order = d.Order.Amount!;
            var x = rng.NextDouble();
            return x switch
            {
                < 0.25 => new Settlement(Remedy.FullRefund, order),
                < 0.55 => new Settlement(Remedy.PartialRefund, Part(order, 0.3 + (0.6 * rng.NextDouble()))),
                < 0.68 when d.Demand.Remedy == Remedy.Compensation => new Settlement(Remedy.Compensation, Part(d.Demand.Amount!, 0.5 + (0.5 * rng.NextDouble()))),
                < 0.68 => new Settlement(Remedy.ReturnAndRefund, order),
                < 0.80 => new Settlement(Remedy.Exchange, null),
                < 0.88 => new Settlement(Remedy.Repair, null),
                _ => new Settlement(Remedy.Apology, null),
            };
        }

        private Money Part(Money amount, double share)
        {
            var jitter = share * (0.9 + (0.2 * rng.NextDouble()));
            var x = amount.MinorUnits * Math.Clamp(jitter, 0.01, 1.0);
            var rounded = x > 10_000 ? Math.Round(x / 100) * 100 : Math.Round(x);
            return amount with { MinorUnits = Math.Clamp((long)rounded, 1, amount.MinorUnits) };
        }
    }
}

/// <summary>The consistency the fold guarantees, checked on every generated dispute (a generator bug stops the load).</summary>
internal static class Invariants
{
    public static void Check(Dispute d)
    {
        void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"generated dispute {d.DisputeId} is inconsistent: {what}");
            }
        }
        var closed = d.Status.IsClosed();
        Require(Ids.IsValid(d.DisputeId, "dsp"), "id format");
        Require(closed == (d.ClosedAt is not null), "ClosedAt iff closed");
        Require(closed == (d.Outcome != Outcome.Unspecified), "Outcome iff closed");
        Require(d.Status switch
        {
            DisputeStatus.Resolved => d.Outcome is Outcome.ResolvedByNegotiation or Outcome.ResolvedByMediation,
            DisputeStatus.Unresolved => d.Outcome == Outcome.Unresolved,
            DisputeStatus.Withdrawn => d.Outcome == Outcome.Withdrawn,
            _ => d.Outcome == Outcome.Unspecified,
        }, "status matches outcome");
        Require((d.EscalatedAt is null) == (d.EscalationReason == EscalationReason.Unspecified), "EscalatedAt with EscalationReason");
        Require(d.Status != DisputeStatus.Escalated || d.EscalatedAt is not null, "escalated has EscalatedAt");
        Require(d.MerchantEnrolled || d.EscalationReason == EscalationReason.MerchantNotEnrolled, "not enrolled goes to the regulator");
        Require(d.FirstResponseAt is null || d.FirstResponseAt >= d.CreatedAt, "FirstResponseAt >= CreatedAt");
        Require(d.ClosedAt is null || d.ClosedAt >= d.CreatedAt, "ClosedAt >= CreatedAt");
        Require(d.LastSeq >= 1, "LastSeq >= 1");
        Require(d.UpdatedAt >= d.CreatedAt && d.UpdatedAt >= (d.ClosedAt ?? d.CreatedAt) && d.UpdatedAt >= (d.EscalatedAt ?? d.CreatedAt)
            && d.UpdatedAt >= (d.FirstResponseAt ?? d.CreatedAt), "UpdatedAt is the last time");
        Require(d.SatisfactionRating == 0 || closed, "rated only when closed");
        Require(new[] { d.CreatedAt, d.UpdatedAt, d.FirstResponseDueAt, d.NegotiationDueAt }
            .Concat(new[] { d.FirstResponseAt, d.EscalatedAt, d.ClosedAt }.OfType<DateTimeOffset>())
            .All(t => t.UtcTicks % TimeSpan.TicksPerMillisecond == 0), "times in whole milliseconds (as Clock.Now gives them)");
        Require(d.Order.PaidAt <= d.CreatedAt && d.Order.PaidAt >= d.CreatedAt.AddDays(-30), "paid within 30 days before opening");
        Require(Mobile.Normalize(d.Consumer.Mobile) == d.Consumer.Mobile, "valid mobile");
        Require(d.Settlement?.Amount is null || d.Settlement.Amount.Currency == "CNY", "CNY settlement");
    }
}
