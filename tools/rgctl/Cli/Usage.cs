using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>The usage text: one entry per command, grouped as printed by <c>rgctl help</c>.</summary>
internal static class Usage
{
    private const string Header = """
        rgctl - command-line client for the ResolutionGateway gRPC API (resolution.v1)

        usage: rgctl <command> [arguments] [options]
               rgctl help [command]        (or: rgctl <command> --help)
        """;

    private const string Conventions = """
        Connection (accepted by every command, before or after it):
          --url URL    server address; else $RG_URL; else http://127.0.0.1:50051
                       (http:// = plaintext HTTP/2, https:// = TLS)
          --key KEY    API key, sent on every call as "authorization: Bearer KEY"; else $RG_API_KEY;
                       else the admin key file the server writes on first start:
                       $RG_DATA_DIR/admin-key if RG_DATA_DIR is set, else
                       $XDG_DATA_HOME/resolution-gateway/admin-key, else
                       ~/.local/share/resolution-gateway/admin-key

        Values:
          amounts       integers in minor units: --amount 12800 is CNY 128.00 (--currency, default CNY)
          times         ISO 8601, e.g. 2025-11-21T14:30:00+08:00 (no offset = local time); printed in local time
          enums         lower-case names, e.g. --category food-safety, --demand full-refund; a wrong
                        name lists the valid ones
          --request-id  idempotency key of a mutating call (retry with the same id = same result);
                        default: a new GUID per call
          --evidence    URI,SHA256,CONTENT_TYPE,SIZE  e.g. https://cdn.example/p.jpg,<64 hex>,image/jpeg,52311
                        (repeatable)
          --json        print the protobuf response as JSON (Google.Protobuf JsonFormatter)

        Exit codes: 0 ok; 1 the call failed (printed as "error: <StatusCode>: <detail>" followed by
        any google.rpc.BadRequest field violations); 2 usage error or missing API key.
        """;

    private static readonly (string Group, string Name, string Synopsis, string Description)[] Commands =
    [
        ("Demo", "demo", "demo",
            "Walks through a whole dispute with the admin key: registers channel demo-pay, enrolls merchant\n" +
            "demo-tea with store xihu-1, creates a channel and a merchant key, opens a dispute as the channel,\n" +
            "shows the merchant's (masked) view, exchanges messages, makes and accepts a partial-refund offer,\n" +
            "rates it, and prints the timeline. Re-runnable against the same server."),

        ("Disputes", "open",
            "open --merchant M --order ORDER --amount MINOR [--currency CNY] [--store S]\n" +
            "     [--paid-at TIME (default: now - 1h)] --consumer-ref R --name N --mobile 138...\n" +
            "     --category C --demand REMEDY [--demand-amount MINOR] --description TEXT\n" +
            "     [--region 330106] [--merchant-name ..] [--store-name ..] [--store-address ..]\n" +
            "     [--payment-method alipay] [--line-item 'QTY x NAME @ MINOR' ...] [--evidence ...]\n" +
            "     [--request-id ID] [--json]",
            "Opens a dispute (channel key) and prints it as prefilled by the server. --region, --merchant-name,\n" +
            "--store-name and --store-address are used only for merchants/stores the gateway does not know.\n" +
            "category: " + string.Join(", ", EnumNames.Names<Category>()) + "\n" +
            "remedy:   " + string.Join(", ", EnumNames.Names<Remedy>())),
        ("Disputes", "get", "get DISPUTE_ID [--json]", "Prints one dispute."),
        ("Disputes", "list",
            "list [--status s,...] [--consumer-ref R] [--merchant M] [--page-size N] [--limit N (default 50)] [--json]\n" +
            "     [--opened-from T] [--opened-to T] [--updated-from T] [--updated-to T] [--closed-from T] [--closed-to T]\n" +
            "     [--category C] [--region PREFIX] [--deadline-within HOURS] [--order newest-first|next-deadline]",
            "Lists disputes the caller may see, newest first, following pages up to --limit.\n" +
            "Channels must give --consumer-ref. status: " + string.Join(", ", EnumNames.Names<DisputeStatus>()) + "\n" +
            "--*-from/--*-to   ISO 8601 times; from inclusive, to exclusive (opened, last updated, closed)\n" +
            "--region          store region code prefix, 2, 4 or 6 digits (a regulator's must lie inside its own)\n" +
            "--deadline-within the next deadline has passed or is due within HOURS (0: passed only)\n" +
            "--order next-deadline  soonest deadline first; disputes without a running deadline are left out\n" +
            "example: rgctl list --region 3301 --opened-from 2026-11-23T00:00:00+08:00 --status awaiting-merchant --order next-deadline"),
        ("Disputes", "events", "events DISPUTE_ID [--after-seq N] [--json]", "Prints the dispute's timeline (event log), oldest first."),
        ("Disputes", "watch", "watch DISPUTE_ID [--after-seq N]\nwatch --all [--cursor C] [--now]",
            "Streams a dispute's events (replay after --after-seq, then \"(caught up)\", then live), or with\n" +
            "--all every event the caller may see, each with its resume cursor. Runs until Ctrl-C."),

        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "message",
            "message DISPUTE_ID --text TEXT [--evidence ...] [--request-id ID] [--json]",
            "PostMessage: consumer (channel key), merchant, or regulator on an escalated dispute."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "offer",
            "offer DISPUTE_ID --remedy REMEDY [--amount MINOR] [--currency CNY] [--note TEXT] [--request-id ID] [--json]",
            "MakeOffer (merchant). Supersedes any pending offer; prints the new offer id."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "respond",
            "respond DISPUTE_ID --offer-id OFFER --decision accept|reject [--note TEXT] [--request-id ID] [--json]",
            "RespondToOffer (consumer via channel key)."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "accept-demand",
            "accept-demand DISPUTE_ID [--note TEXT] [--request-id ID] [--json]",
            "AcceptDemand (merchant): settles with the consumer's demand as stated."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "escalate",
            "escalate DISPUTE_ID [--note TEXT] [--request-id ID] [--json]",
            "EscalateDispute (consumer via channel key) to the regulator (12315)."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "withdraw",
            "withdraw DISPUTE_ID [--note TEXT] [--request-id ID] [--json]",
            "WithdrawDispute (consumer via channel key)."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "mediate",
            "mediate DISPUTE_ID --outcome resolved-by-mediation|unresolved [--settlement-remedy REMEDY]\n" +
            "        [--settlement-amount MINOR] [--currency CNY] [--note TEXT] [--request-id ID] [--json]",
            "RecordMediationOutcome (regulator key) on an escalated dispute; a settlement is required when\n" +
            "resolved and must be absent when unresolved."),
        ("Dispute actions (one per mutating RPC; DISPUTE_ID may be given as argument or --dispute-id)", "rate",
            "rate DISPUTE_ID --rating 1-5 [--comment TEXT] [--request-id ID] [--json]",
            "RateResolution (consumer via channel key), once, after the dispute closed."),

        ("Regulator case handling (regulator key of the region handling the case)", "case accept",
            "case accept DISPUTE_ID [--note TEXT] [--request-id ID] [--json]",
            "AcceptCase: accepts an escalated case; mediation is due 45 working days later by default."),
        ("Regulator case handling (regulator key of the region handling the case)", "case refuse",
            "case refuse DISPUTE_ID --reason REASON --note TEXT [--request-id ID] [--json]",
            "RefuseCase on a ground of art. 15 (outside-remit, already-handled, not-consumer-dispute,\n" +
            "time-barred, missing-materials, other-legal-ground): the dispute closes as unresolved."),
        ("Regulator case handling (regulator key of the region handling the case)", "case assign",
            "case assign DISPUTE_ID --officer NAME [--note TEXT] [--request-id ID] [--json]",
            "AssignCase to an officer by name: one named on an active regulator key (keys create --officer)\n" +
            "whose prefix covers the region handling the case."),
        ("Regulator case handling (regulator key of the region handling the case)", "case transfer",
            "case transfer DISPUTE_ID --region PREFIX [--note TEXT] [--request-id ID] [--json]",
            "TransferCase to the regulator of another region prefix (a case not yet accepted)."),

        ("Regulator case handling (regulator key of the region handling the case)", "case note",
            "case note DISPUTE_ID --text TEXT [--request-id ID] [--json]",
            "AddCaseNote: an internal note on the case (1-2,000 characters), never shown to the parties or\n" +
            "in their webhooks.\n" +
            "example: rgctl case note dsp_01JD... --text 'Called the merchant; refund promised by Friday.'"),
        ("Regulator case handling (regulator key of the region handling the case)", "case notes",
            "case notes DISPUTE_ID [--json]",
            "ListCaseNotes: the case's internal notes, oldest first (time, author region, text).\n" +
            "example: rgctl case notes dsp_01JD..."),

        ("Settlement execution and reopening", "settle record",
            "settle record DISPUTE_ID --reference REF --amount MINOR [--currency CNY] [--time ISO8601] [--note TEXT]\n" +
            "      [--request-id ID] [--json]",
            "RecordSettlementExecution (merchant key): the refund or payment of an agreed settlement, by\n" +
            "execution_due_time (7 days after agreement by default); --time defaults to now."),
        ("Settlement execution and reopening", "settle confirm",
            "settle confirm DISPUTE_ID --receipt received|not-received [--note TEXT] [--request-id ID] [--json]",
            "ConfirmSettlement (consumer via channel key): whether the money arrived; received is final."),
        ("Settlement execution and reopening", "reopen",
            "reopen DISPUTE_ID --reason not-executed|not-as-agreed --note TEXT [--request-id ID] [--json]",
            "ReopenDispute (consumer via channel key) within the reopen window (15 days by default): the\n" +
            "dispute goes straight to the regulator as a pending case."),

        ("Reporting (admin, analyst or regulator key; merchant and channel keys: stats of their own)", "stats",
            "stats --from YYYY-MM-DD --to YYYY-MM-DD [--basis opened|closed]\n" +
            "      [--region PREFIX] [--channel ID] [--merchant ID] [--category C]\n" +
            "      [--group-by DIM,...] [--region-level 2|4|6] [--chart FIGURE] [--csv FILE|-] [--json]",
            "GetResolutionStats: prints the selection as applied (with the key's scope filled in), a table with\n" +
            "one line per group (opened, open, closed, negotiation settlement rate, resolution rate, on-time\n" +
            "first response, on-time completion, same-day answer and escalation rates, first-response and\n" +
            "time-to-close p50/p90, agreed amount in yuan, mean satisfaction, case acceptance, mediation on time\n" +
            "and its success over accepted cases, settlements executed on time, reopen rate) and a TOTAL line, then a bar chart\n" +
            "of one figure per group (rates against 100%, other figures against the largest; none without\n" +
            "--group-by), as wide as the terminal.\n" +
            "--from/--to   days in Beijing time (UTC+8), both inclusive; --basis: which date counts (default\n" +
            "              opened: the cohort view; closed: the workload view)\n" +
            "--region      region code prefix, 2, 4 or 6 digits (33 = Zhejiang, 3301 = Hangzhou)\n" +
            "--group-by    comma-separated and/or repeated, in the order of the row keys:\n" +
            "              " + string.Join(", ", EnumNames.Names<GroupBy>()) + "\n" +
            "              (day, week and month keys are the first day of the bucket)\n" +
            "--region-level  digits of the region code grouped by (default 6)\n" +
            "--chart       a StatsRow figure by its proto name (default resolution_rate), e.g.\n" +
            "              negotiation_settlement_rate, on_time_first_response_rate, opened, escalation_rate,\n" +
            "              time_to_close_p50_seconds, agreed_amount_fen\n" +
            "--csv FILE    also writes every StatsRow field (counts, rates as fractions, percentiles in seconds,\n" +
            "              money in fen) as CSV: a \"row\" column (TOTAL on the last line), one column per group\n" +
            "              key, then the fields by proto name; --csv - writes only the CSV, to stdout\n" +
            "category: " + string.Join(", ", EnumNames.Names<Category>()) + "\n" +
            "examples:\n" +
            "  rgctl stats --from 2026-10-01 --to 2026-10-31 --group-by region --region-level 4 --chart resolution_rate\n" +
            "  rgctl stats --from 2026-10-01 --to 2026-12-31 --basis closed --group-by month,category --chart opened\n" +
            "  rgctl stats --from 2026-10-01 --to 2026-10-31 --region 3301 --group-by merchant --csv oct.csv"),
        ("Reporting (admin, analyst or regulator key; merchant and channel keys: stats of their own)", "export",
            "export [--after CURSOR] [--limit N] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n" +
            "       [--region PREFIX] [--channel ID] [--merchant ID] [--category C] [--out FILE]",
            "ExportOutcomes: streams closed disputes (once when closed, again when rated; keep the highest\n" +
            "revision per dispute_id) as JSON Lines, one ExportOutcomesResponse per line ({\"outcome\": {...},\n" +
            "\"cursor\": \"...\"}, proto JSON names), to stdout or --out FILE. --from/--to filter on the closing\n" +
            "day (Beijing time). --limit: 1-100000 records per call (default 10000). The stream ends when the\n" +
            "limit is reached or every record committed so far was sent; the count and the last cursor are\n" +
            "printed on stderr: pass it as --after to continue.\n" +
            "examples:\n" +
            "  rgctl export --from 2026-10-01 --to 2026-10-31 --out oct.jsonl\n" +
            "  rgctl export --after CURSOR --limit 50000 >> outcomes.jsonl"),
        ("Reporting (admin, analyst or regulator key; merchant and channel keys: stats of their own)", "rankings",
            "rankings --from YYYY-MM-DD --to YYYY-MM-DD [--region PREFIX] [--order-by FIGURE] [--limit N] [--public] [--json]",
            "ListMerchantRankings: the merchants of a region ranked by one figure over the disputes opened in\n" +
            "the period (Beijing days, inclusive): rank, merchant, disputes received, median first response,\n" +
            "on-time share, negotiation settlement rate, overdue first responses, mean satisfaction. Merchants\n" +
            "with fewer disputes than the gateway's Rankings:MinimumDisputes are left out. --public calls\n" +
            "without a key: a gateway that publishes rankings (Rankings:Public) answers.\n" +
            "--order-by  " + string.Join(", ", EnumNames.Names<RankingOrder>()) + " (default negotiation-settlement-rate)\n" +
            "--limit     1-1000 merchants (default 100)\n" +
            "example: rgctl rankings --from 2026-10-01 --to 2026-10-31 --region 3301 --order-by overdue"),

        ("Administration (admin key)", "keys create",
            "keys create --role " + string.Join('|', EnumNames.Names<CredentialRole>()) + " [--scope S] [--description D] [--officer NAME]",
            "Creates an API key and prints its id and token (the token is shown only this once). Scope:\n" +
            "channel id, merchant id, or region prefix (2, 4 or 6 digits) for a regulator; none for admin;\n" +
            "for an analyst (reporting only, read-only) a region prefix or none (all regions).\n" +
            "--officer: the officer who holds a regulator key (regulator keys only), whom case assign names."),
        ("Administration (admin key)", "keys list", "keys list [--all]", "Lists API keys (--all: include revoked ones)."),
        ("Administration (admin key)", "keys revoke", "keys revoke KEY_ID", "Revokes an API key."),
        ("Administration (admin key)", "channel register", "channel register ID NAME", "Registers a channel or renames it."),
        ("Administration (admin key)", "merchant enroll", "merchant enroll ID NAME", "Enrolls a merchant or renames it."),
        ("Administration (admin key)", "store upsert",
            "store upsert --merchant M --store S --name N --region 330106 [--address A]",
            "Creates or updates a store of an enrolled merchant."),
        ("The directory (admin key; regulators: their region)", "stores import",
            "stores import FILE.csv [--batch N (default 500)] [--request-id ID] [--json]",
            "ImportStores: upserts the stores of a CSV file over one client stream, N stores per message\n" +
            "(1-1000). The first line names the columns, in any order: merchant_id, store_id, display_name,\n" +
            "region_code (required), address, enabled (optional; true/false, empty keeps the stored flag,\n" +
            "a new store is enabled). RFC 4180 quoting; values are trimmed. A progress bar is drawn on\n" +
            "stderr when it is a terminal, else one count line. Prints the counts (created, updated,\n" +
            "unchanged, refused) and then each refused row with its reasons. Exit 3 when rows were refused\n" +
            "(the others were imported). Retrying with the same --request-id answers the first import.\n" +
            "example: rgctl stores import hangzhou-stores.csv --request-id import-2026-12-03"),
        ("The directory (admin key; regulators: their region)", "stores list",
            "stores list [--merchant M] [--region PREFIX] [--enabled|--disabled] [--limit N (default 100)]\n" +
            "      [--page-token T] [--json]",
            "ListStores, by merchant then store id, following pages up to --limit; when more remain, the\n" +
            "token to go on from is printed on stderr (pass it as --page-token). A merchant key lists its own.\n" +
            "example: rgctl stores list --region 3301 --disabled"),
        ("The directory (admin key; regulators: their region)", "merchants list",
            "merchants list [--region PREFIX] [--enabled|--disabled] [--limit N (default 100)] [--page-token T] [--json]",
            "ListMerchants, by merchant id; --region keeps merchants with a store in the region.\n" +
            "example: rgctl merchants list --region 33 --enabled"),
        ("The directory (admin key; regulators: their region)", "channels list",
            "channels list [--limit N (default 100)] [--page-token T] [--json]",
            "ListChannels, by channel id.\n" +
            "example: rgctl channels list"),

        ("Policies and calendars (admin key)", "policies set",
            "policies set REGION_PREFIX|--national --first-response RULE --negotiation RULE\n" +
            "      [--negotiation-limit-days N] [--purchase-window-days N] [--warning-lead-hours N] [--calendar ID]\n" +
            "      [--case-acceptance RULE] [--mediation RULE] [--settlement-execution RULE] [--reopen-window-days N] [--json]",
            "SetRegionPolicy: creates or replaces the policy of a region prefix (2, 4 or 6 digits) or, with\n" +
            "--national, the national default. RULE is a number and a unit: 96h (hours), 7d (days of 24 h)\n" +
            "or 10wd (working days of the policy's calendar). Options left out take the server's defaults\n" +
            "(see protos/resolution/v1/policy.proto). Applies to disputes opened from then on.\n" +
            "example: rgctl policies set 3301 --first-response 96h --negotiation 7d --case-acceptance 7wd --mediation 45wd"),
        ("Policies and calendars (admin key)", "policies list",
            "policies list [--json]",
            "ListRegionPolicies: the policies in force (national default first), with their source."),
        ("Policies and calendars (admin key)", "policies delete",
            "policies delete REGION_PREFIX|--national [--json]",
            "DeleteRegionPolicy: removes a policy set through the API; prints the policy that applies now.\n" +
            "example: rgctl policies delete 3301"),
        ("Policies and calendars (admin key)", "policies resolve",
            "policies resolve REGION_CODE [--open-time TIME] [--json]",
            "ResolveRegionPolicy: which policy and calendar apply to a 6-digit region code, and the deadlines\n" +
            "a dispute opened at --open-time (default now) would get.\n" +
            "example: rgctl policies resolve 330106 --open-time 2026-09-30T18:00:00+08:00"),
        ("Policies and calendars (admin key)", "calendars set",
            "calendars set CALENDAR_ID [--name N] [--utc-offset-minutes M (default 480)] [--holiday YYYY-MM-DD,...]\n" +
            "      [--make-up-workday YYYY-MM-DD,...] [--json]",
            "SetWorkingCalendar: creates or replaces a working-day calendar (Monday-Friday, minus holidays,\n" +
            "plus make-up workdays). --holiday and --make-up-workday take dates separated by commas and may\n" +
            "be repeated; the calendar is replaced whole, so give every date.\n" +
            "example: rgctl calendars set ZJ --name Zhejiang --holiday 2026-10-01,2026-10-02 --make-up-workday 2026-09-27"),
        ("Policies and calendars (admin key)", "calendars list",
            "calendars list [--json]",
            "ListWorkingCalendars: the calendars in force, with their holidays and make-up workdays."),

        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "webhooks create",
            "webhooks create --endpoint-url URL [--owner merchant|channel|regulator] [--owner-id ID] [--description D] [--json]",
            "CreateWebhookEndpoint: prints the endpoint id and its signing secret (shown only this once).\n" +
            "An admin gives --owner and --owner-id (merchant id, channel id or region prefix); a merchant\n" +
            "key may leave both out (its own merchant).\n" +
            "example: rgctl webhooks create --owner merchant --owner-id tea --endpoint-url https://tea.example/rg-hook"),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "webhooks update",
            "webhooks update ENDPOINT_ID [--endpoint-url URL] [--description D] [--enable|--disable] [--json]",
            "UpdateWebhookEndpoint: changes what is given. Disabling dead-letters its queued deliveries;\n" +
            "enable again before redelivering.\n" +
            "example: rgctl webhooks update whe_01JD... --enable"),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "webhooks delete",
            "webhooks delete ENDPOINT_ID [--json]",
            "DeleteWebhookEndpoint: prints how many queued deliveries were dropped. To keep dead letters\n" +
            "listable and redeliverable, disable instead.\n" +
            "example: rgctl webhooks delete whe_01JD..."),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "webhooks list",
            "webhooks list [--owner merchant|channel|regulator] [--owner-id ID] [--json]",
            "ListWebhookEndpoints, oldest first (never their secrets); disabled ones with the reason.\n" +
            "example: rgctl webhooks list --owner merchant --owner-id tea"),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "webhooks rotate",
            "webhooks rotate ENDPOINT_ID [--previous-ttl SECONDS (0-604800; default a day)] [--json]",
            "RotateWebhookSecret: prints the new secret (shown only this once); the previous one is signed\n" +
            "with too until the printed time, so receivers can switch without losing events.\n" +
            "example: rgctl webhooks rotate whe_01JD... --previous-ttl 3600"),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "deliveries list",
            "deliveries list ENDPOINT_ID [--dead | --status pending|delivered|dead-lettered] [--dispute DISPUTE_ID]\n" +
            "      [--limit N (default 100)] [--page-token T] [--json]",
            "ListWebhookDeliveries: an endpoint's deliveries (event, type, status, attempts, last HTTP status,\n" +
            "the dead-letter reason or last error); --dead lists the dead letters only.\n" +
            "example: rgctl deliveries list whe_01JD... --dead"),
        ("Webhook endpoints and dead letters (admin key: any owner; merchant key: its own)", "deliveries redeliver",
            "deliveries redeliver ENDPOINT_ID [--dispute DISPUTE_ID [--seq N]] [--json]",
            "RedeliverWebhookDeliveries: queues dead letters again (all of the endpoint's, one dispute's, or\n" +
            "one event's); the endpoint must be enabled. Prints how many were queued.\n" +
            "example: rgctl deliveries redeliver whe_01JD... --dispute dsp_01JD..."),

        ("Audit (admin key)", "audit list",
            "audit list [--key-id KEY_ID] [--dispute DISPUTE_ID] [--from TIME] [--to TIME] [--limit N (default 100)]\n" +
            "      [--page-token T] [--json]",
            "ListAuditEvents, newest first: admin and merchant AdminService calls and reads of unmasked\n" +
            "personal data (time, key, role, kind, RPC, dispute or object). --from inclusive, --to exclusive.\n" +
            "example: rgctl audit list --dispute dsp_01JD... --limit 20"),

        ("Operations (no API key)", "status",
            "status [--metrics URL]",
            "One screen for a node: readiness (gRPC health, storage included), watch streams, webhook backlog\n" +
            "and its oldest age, dead letters, deadline lag, database breaker, disputes opened and closed since\n" +
            "the node started. Figures come from the node's Prometheus endpoint: --metrics, else $RG_METRICS_URL,\n" +
            "else http://127.0.0.1:9464/metrics (the default Metrics:Url). Exit 0 when ready and nothing needs\n" +
            "attention, 3 when something does (not ready, dead letters, deadline lag over 60 s, breaker open)."),
    ];

    public static bool IsCommand(string name) => Commands.Any(c => c.Name == name);

    /// <summary>Full usage: every command, then the conventions.</summary>
    public static void PrintAll(TextWriter w)
    {
        w.WriteLine(Header);
        string? group = null;
        foreach (var c in Commands)
        {
            if (c.Group != group)
            {
                group = c.Group;
                w.WriteLine();
                w.WriteLine($"{group}:");
            }

            w.WriteLine(Synopsis(c.Name, c.Synopsis, "  "));
            w.WriteLine(Indent(c.Description, "      ", "      "));
        }

        w.WriteLine();
        w.WriteLine(Conventions);
    }

    /// <summary>Usage of one command; false when the name is not a command.</summary>
    public static bool PrintCommand(TextWriter w, string name, bool withDescription = true)
    {
        foreach (var c in Commands)
        {
            if (c.Name == name)
            {
                w.WriteLine(Synopsis(c.Name, c.Synopsis, "usage: "));
                if (withDescription)
                {
                    w.WriteLine();
                    w.WriteLine(Indent(c.Description, "  ", "  "));
                    w.WriteLine();
                    w.WriteLine("Connection: --url URL, --key KEY (see 'rgctl help' for defaults and value formats).");
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Synopses of every sub-command of a group such as "keys"; false when there are none.</summary>
    public static bool PrintGroup(TextWriter w, string group)
    {
        var found = false;
        foreach (var c in Commands)
        {
            if (c.Name.StartsWith(group + " ", StringComparison.Ordinal))
            {
                w.WriteLine(Synopsis(c.Name, c.Synopsis, found ? "       " : "usage: "));
                found = true;
            }
        }

        return found;
    }

    /// <summary>
    /// "rgctl " + the synopsis; continuation lines are aligned under the first line's arguments,
    /// except lines that start with the command name again (an alternative form).
    /// </summary>
    private static string Synopsis(string name, string synopsis, string prefix)
    {
        var lead = new string(' ', prefix.Length);
        var lines = synopsis.Split('\n');
        var result = new List<string>(lines.Length) { $"{prefix}rgctl {lines[0]}" };
        foreach (var line in lines.Skip(1))
        {
            result.Add(line.StartsWith(name + " ", StringComparison.Ordinal)
                ? $"{lead}rgctl {line}"
                : $"{lead}      {line}");
        }

        return string.Join('\n', result);
    }

    private static string Indent(string text, string first, string rest) =>
        first + text.ReplaceLineEndings("\n" + rest);
}
