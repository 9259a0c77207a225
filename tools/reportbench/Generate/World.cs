using System.Globalization;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>A payment app or shop platform.</summary>
internal sealed record Channel(string Id, string Name, double Share, string[] PaymentMethods);

/// <summary>A store of a merchant.</summary>
internal sealed record Store(string StoreId, string Name, string Address, County County);

/// <summary>What a merchant sells: drives order amounts, item names and the shop's name.</summary>
internal sealed record Trade(string Name, double MedianYuan, double Sigma, string[] Items);

/// <summary>
/// A merchant. <see cref="Weight"/> is its share of the disputes (Zipf-like: a few chains with many
/// disputes, a long tail of single shops); not enrolled merchants are in no table and their disputes
/// go straight to the regulator.
/// </summary>
internal sealed class Merchant
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Rank { get; init; }
    public required double Weight { get; init; }
    public required bool Enrolled { get; init; }
    public required bool Chain { get; init; }
    public required Trade Trade { get; init; }
    /// <summary>"One-second refund": customer service may accept cheap refund demands at once.</summary>
    public required bool InstantRefund { get; init; }
    /// <summary>How often this merchant never answers (about 4% on average).</summary>
    public required double SilenceRate { get; init; }
    /// <summary>Multiplies its response times.</summary>
    public required double Slowness { get; init; }
    /// <summary>Multiplies its readiness to settle (0.7 … 1.2).</summary>
    public required double Fairness { get; init; }
    public required DateTimeOffset EnrolledAt { get; init; }
    public List<Store> Stores { get; } = [];
    public WeightedChoice? StoreChoice { get; set; }
}

/// <summary>The channels, merchants and stores of a generated history (deterministic from the seed).</summary>
internal sealed class World
{
    public static readonly IReadOnlyList<Channel> Channels =
    [
        new("alipay", "支付宝", 0.36, ["alipay_balance", "huabei", "yuebao", "bank_card"]),
        new("wechatpay", "微信支付", 0.26, ["wechat_balance", "bank_card", "lingqiantong"]),
        new("unionpay", "云闪付", 0.10, ["unionpay_debit", "unionpay_credit", "quickpass"]),
        new("meituan", "美团", 0.10, ["meituan_pay", "wechat_balance", "alipay_balance"]),
        new("jd", "京东", 0.07, ["jd_pay", "baitiao", "bank_card"]),
        new("douyin", "抖音", 0.06, ["douyin_pay", "alipay_balance"]),
        new("taobao", "淘宝", 0.03, ["alipay_balance", "huabei"]),
        new("pinduoduo", "拼多多", 0.02, ["duoduo_pay", "wechat_balance"]),
    ];

    public static readonly IReadOnlyList<Trade> Trades =
    [
        new("便利店", 25, 0.6, ["矿泉水", "便当", "零食礼包", "鲜奶", "关东煮"]),
        new("超市", 120, 0.8, ["食用油", "大米 10kg", "洗衣液", "进口牛排", "水果礼盒"]),
        new("餐饮", 160, 0.7, ["双人套餐", "火锅套餐", "生日蛋糕", "外卖订单", "代金券"]),
        new("茶饮咖啡", 35, 0.5, ["拿铁", "果茶", "奶茶", "咖啡豆", "储值卡"]),
        new("服装鞋帽", 380, 0.7, ["羽绒服", "运动鞋", "连衣裙", "衬衫", "牛仔裤"]),
        new("家用电器", 2600, 0.8, ["空调", "洗衣机", "冰箱", "扫地机器人", "电视机"]),
        new("手机数码", 3200, 0.7, ["手机", "平板电脑", "耳机", "智能手表", "笔记本电脑"]),
        new("美容美发", 680, 0.9, ["美容卡", "烫染套餐", "护理疗程", "储值卡", "美甲"]),
        new("教育培训", 5800, 0.8, ["英语课程", "编程课", "驾校报名费", "考研辅导", "艺术培训"]),
        new("健身", 2800, 0.7, ["年卡", "私教课", "游泳卡", "瑜伽课程", "次卡"]),
        new("家居建材", 4500, 1.0, ["沙发", "定制衣柜", "瓷砖", "床垫", "装修套餐"]),
        new("珠宝眼镜", 1800, 0.9, ["黄金手镯", "钻戒", "配镜", "隐形眼镜", "银饰"]),
        new("医药", 90, 0.8, ["感冒药", "保健品", "血压计", "口罩", "维生素"]),
        new("旅游出行", 1600, 0.9, ["跟团游", "酒店预订", "景区门票", "机票", "租车"]),
        new("汽车服务", 900, 1.0, ["保养套餐", "洗车卡", "轮胎", "贴膜", "维修"]),
        new("母婴", 260, 0.7, ["奶粉", "纸尿裤", "婴儿车", "童装", "早教课"]),
    ];

    // Chains by size, with what they sell (index into Trades).
    private static readonly (string Slug, string Name, int Trade)[] ChainList =
    [
        ("luckin", "瑞幸咖啡", 3), ("mixue", "蜜雪冰城", 3), ("meiyijia", "美宜佳便利店", 0), ("yonghui", "永辉超市", 1),
        ("suning", "苏宁易购", 5), ("miniso", "名创优品", 1), ("watsons", "屈臣氏", 12), ("haidilao", "海底捞火锅", 2),
        ("chowtaifook", "周大福珠宝", 11), ("uniqlo", "优衣库", 4), ("xiaomi", "小米之家", 6), ("familymart", "全家便利店", 0),
        ("lawson", "罗森便利店", 0), ("hema", "盒马鲜生", 1), ("kfc", "肯德基", 2), ("mcdonalds", "麦当劳", 2),
        ("lbx", "老百姓大药房", 12), ("gome", "国美电器", 5), ("anta", "安踏体育", 4), ("lining", "李宁", 4),
        ("rtmart", "大润发", 1), ("walmart", "沃尔玛", 1), ("heytea", "喜茶", 3), ("nayuki", "奈雪的茶", 3),
        ("starbucks", "星巴克", 3), ("juewei", "绝味食品", 2), ("wanda", "万达影城", 13), ("pagoda", "百果园", 1),
        ("bestore", "良品铺子", 1), ("huawei", "华为授权体验店", 6), ("babycare", "孩子王", 15), ("tuhu", "途虎养车", 14),
        ("supersport", "乐刻运动", 9), ("neworiental", "新东方", 8), ("ctrip", "携程门店", 13), ("holike", "好莱客全屋定制", 10),
        ("bosideng", "波司登", 4), ("yifeng", "益丰大药房", 12), ("laopu", "老铺黄金", 11), ("ikea", "宜家家居", 10),
    ];

    private static readonly string[] ShopWords =
    [
        "鑫源", "恒通", "佳美", "福满", "金诚", "好运来", "百佳", "新世纪", "阳光", "优品", "华联", "永盛", "德润", "丰泰", "天天",
        "诚信", "万家", "聚福", "锦绣", "宏达", "旺铺", "小林", "老王", "大众", "时代", "星辰", "悦享", "乐购", "名品", "尚品",
    ];

    public IReadOnlyList<Merchant> Merchants { get; }
    public WeightedChoice MerchantChoice { get; }
    public WeightedChoice ChannelChoice { get; } = new(Channels.Select(c => c.Share).ToArray());

    public World(int seed, int merchantCount, DateTimeOffset rangeStart)
    {
        var rng = new Random(Draw.SubSeed(seed, -1));
        var cityChoice = new WeightedChoice(Geography.Cities.Select(c => c.Share).ToArray());
        var countyChoices = Geography.Cities.ToDictionary(c => c, c => new WeightedChoice(c.Counties.Select(k => k.Weight).ToArray()));
        var merchants = new List<Merchant>(merchantCount);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        // Zipf-Mandelbrot: weight 1/(rank+4)^1.1.
        for (var rank = 1; rank <= merchantCount; rank++)
        {
            var weight = 1.0 / Math.Pow(rank + 4, 1.1);
            var chain = rank <= ChainList.Length;
            Trade trade;
            string id, name;
            if (chain)
            {
                var (slug, chainName, tradeIndex) = ChainList[rank - 1];
                trade = Trades[tradeIndex];
                id = "mch-" + slug;
                name = chainName;
            }
            else
            {
                trade = Draw.Pick(rng, Trades);
                do
                {
                    id = "mch-" + Draw.Digits(rng, 8);
                }
                while (!usedIds.Add(id));
                name = "";
            }
            merchants.Add(new Merchant
            {
                Id = id,
                Name = name,
                Rank = rank,
                Weight = weight,
                Enrolled = true,
                Chain = chain,
                Trade = trade,
                InstantRefund = chain ? Draw.Chance(rng, 0.35) : Draw.Chance(rng, 0.05),
                SilenceRate = Math.Min(0.5, 0.036 * Math.Exp(0.9 * Draw.Normal(rng)) * (chain ? 0.7 : 1.0)),
                Slowness = Math.Exp(0.6 * Draw.Normal(rng)) * (chain ? 0.6 : 1.0),
                Fairness = Math.Clamp(1.0 + (0.12 * Draw.Normal(rng)), 0.7, 1.2),
                EnrolledAt = rangeStart.AddDays(-rng.Next(30, 900)).AddSeconds(rng.Next(86_400)),
            });
        }
        // Not enrolled: tail merchants drawn at random until they carry ~3% of the disputes.
        var total = merchants.Sum(m => m.Weight);
        var tail = merchants.Where(m => !m.Chain).OrderBy(_ => rng.Next()).ToList();
        var unenrolled = 0.0;
        var notEnrolled = new HashSet<Merchant>();
        foreach (var m in tail)
        {
            if (unenrolled >= 0.03 * total)
            {
                break;
            }
            notEnrolled.Add(m);
            unenrolled += m.Weight;
        }
        Merchants = merchants.Select(m => Finish(m, notEnrolled.Contains(m), rng, cityChoice, countyChoices)).ToArray();
        MerchantChoice = new WeightedChoice(Merchants.Select(m => m.Weight).ToArray());
    }

    private static Merchant Finish(Merchant m, bool notEnrolled, Random rng, WeightedChoice cityChoice, Dictionary<City, WeightedChoice> countyChoices)
    {
        var home = Geography.Cities[cityChoice.Next(rng)];
        var name = m.Name.Length > 0 ? m.Name : $"{home.Name[..^1]}{Draw.Pick(rng, ShopWords)}{m.Trade.Name}{(Draw.Chance(rng, 0.5) ? "店" : "有限公司")}";
        var merchant = new Merchant
        {
            Id = m.Id,
            Name = name,
            Rank = m.Rank,
            Weight = m.Weight,
            Enrolled = !notEnrolled,
            Chain = m.Chain,
            Trade = m.Trade,
            InstantRefund = m.InstantRefund && !notEnrolled,
            SilenceRate = m.SilenceRate,
            Slowness = m.Slowness,
            Fairness = m.Fairness,
            EnrolledAt = m.EnrolledAt,
        };
        // Chains: stores in many counties (more for bigger chains); the tail: 1-3 stores in one city.
        var storeCount = m.Chain
            ? Math.Clamp((int)Math.Round(260 * Math.Pow(5.0 / (m.Rank + 4), 1.1)), 12, 260)
            : rng.NextDouble() switch { < 0.70 => 1, < 0.92 => 2, < 0.98 => 3, _ => rng.Next(4, 9) };
        var storeWeights = new List<double>();
        var usedStoreIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < storeCount; i++)
        {
            var city = m.Chain ? Geography.Cities[cityChoice.Next(rng)] : home;
            var county = city.Counties[countyChoices[city].Next(rng)];
            string storeId;
            do
            {
                storeId = $"st-{county.Code}-{rng.Next(1, 10_000).ToString("0000", CultureInfo.InvariantCulture)}";
            }
            while (!usedStoreIds.Add(storeId));
            var storeName = m.Chain
                ? $"{name}（{county.Name}{Draw.Pick(rng, Geography.Roads)}店）"
                : storeCount == 1 ? name : $"{name}{county.Name}{i + 1}号店";
            var address = $"{city.Province}{(city.Province == city.Name ? "" : city.Name)}{county.Name}{Draw.Pick(rng, Geography.Roads)}{rng.Next(1, 999)}号";
            merchant.Stores.Add(new Store(storeId, storeName, address, county));
            storeWeights.Add(Math.Exp(0.7 * Draw.Normal(rng)));
        }
        merchant.StoreChoice = new WeightedChoice(storeWeights);
        return merchant;
    }
}
