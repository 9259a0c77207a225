using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>Synthetic names and free texts (no real person's data).</summary>
internal static class Texts
{
    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
        "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    ];

    private static readonly string[] GivenChars =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰", "霞", "平",
        "刚", "桂", "英", "华", "建", "国", "玉", "萍", "红", "文", "辉", "鹏", "宇", "浩", "欣", "怡", "婷", "晨", "雪", "琳",
        "子", "轩", "梓", "涵", "思", "雨", "博", "然", "佳", "嘉", "一", "诺", "俊", "凯", "晓", "悦", "昊", "瑶", "倩", "航",
    ];

    private static readonly string[] MobilePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
        "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
        "189", "191", "193", "195", "198", "199",
    ];

    private static readonly Dictionary<Category, string[]> Complaints = new()
    {
        [Category.AfterSales] =
        [
            "商品出现故障后联系商家售后，客服一直推脱不予处理。",
            "购买时承诺七天无理由退换，现在申请退货商家拒绝受理。",
            "预约上门维修三次均未按时到达，问题至今没有解决。",
            "办理的储值卡门店突然停业，剩余余额无法退还。",
            "申请退款后商家迟迟不审核，已超过承诺的处理时间。",
        ],
        [Category.Quality] =
        [
            "收到的商品存在明显质量问题，使用不到一周就损坏。",
            "商品与描述不符，做工粗糙，疑似残次品。",
            "新买的电器开机即报错，要求退货商家只同意维修。",
            "衣物洗一次严重褪色缩水，质量不合格。",
            "商品有异味且部件缺失，要求退货退款。",
        ],
        [Category.FoodSafety] =
        [
            "在店内就餐后出现腹泻，怀疑食材不新鲜。",
            "购买的食品已过保质期仍在销售。",
            "外卖餐品中发现异物，要求商家赔偿。",
        ],
        [Category.Price] =
        [
            "结账价格高于标价签，多收了费用。",
            "活动宣传的优惠价格结算时未生效。",
            "购买后第二天同款商品大幅降价，商家承诺的价保不兑现。",
            "收银时被重复扣款。",
        ],
        [Category.Contract] =
        [
            "签订的服务合同中存在霸王条款，要求退课被拒。",
            "商家单方面变更合同约定的服务内容。",
            "预付费用后商家无法按约定提供服务。",
        ],
        [Category.FalseAdvertising] =
        [
            "宣传的功效与实际严重不符，涉嫌虚假宣传。",
            "页面标注“正品保证”，收到的商品疑似仿冒。",
            "宣传“买一送一”，付款后商家称赠品已送完。",
            "广告中承诺的配置与实际交付的不一致。",
        ],
        [Category.Delivery] =
        [
            "约定时间内未送达，商家也不告知物流信息。",
            "送货时商品外包装破损，内部商品受损。",
            "付款后商家迟迟不发货，也不同意退款。",
        ],
        [Category.Safety] =
        [
            "产品使用过程中发热起火，存在安全隐患。",
            "儿童玩具零件易脱落，存在误吞风险。",
        ],
        [Category.PersonalRights] =
        [
            "商家未经同意泄露了我的个人信息，频繁接到推销电话。",
            "店员态度恶劣并当众辱骂，要求道歉。",
        ],
        [Category.Other] =
        [
            "消费过程中遇到的其他问题，希望商家妥善处理。",
            "会员积分被无故清零，要求恢复。",
        ],
    };

    public static readonly IReadOnlyList<string> MerchantMessages =
    [
        "您好，已收到您的反馈，我们正在核实情况，请稍候。",
        "非常抱歉给您带来不便，门店负责人会尽快与您联系。",
        "您好，请提供一下购买凭证和商品照片，便于我们处理。",
        "已安排售后专员跟进，今天内给您答复。",
    ];

    public static readonly IReadOnlyList<string> OfferNotes =
    [
        "经核实，我们愿意按以下方案处理，请您确认。",
        "为表歉意，提出以下解决方案。",
        "按照门店售后政策，可以为您办理。",
        "协商后的方案如下，望您理解。",
    ];

    public static readonly IReadOnlyList<string> ConsumerNotes =
    [
        "同意该方案。",
        "可以接受，谢谢。",
        "方案不合理，不同意。",
        "希望尽快处理。",
        "商家一直拖延，申请监管部门介入。",
        "已与商家线下协商解决，撤回投诉。",
        "问题已经解决了。",
    ];

    public static readonly IReadOnlyList<string> MediationNotes =
    [
        "经市场监管部门调解，双方达成一致。",
        "经消保委调解，商家同意处理。",
        "调解未能达成一致，建议通过其他途径解决。",
        "商家拒不配合调解，已记录在案。",
    ];

    public static readonly IReadOnlyList<string> RatingComments =
    [
        "处理及时，满意。", "效率很高。", "还可以。", "处理太慢了。", "不满意。", "", "", "",
    ];

    public static string PersonName(Random rng) =>
        Draw.Pick(rng, Surnames) + Draw.Pick(rng, GivenChars) + (Draw.Chance(rng, 0.7) ? Draw.Pick(rng, GivenChars) : "");

    public static string Mobile(Random rng) => Draw.Pick(rng, MobilePrefixes) + Draw.Digits(rng, 8);

    public static string Complaint(Random rng, Category category, string item) =>
        $"{Draw.Pick(rng, Complaints[category])}（{item}）";

    /// <summary>The consumer's id at the channel, in the channel's own style.</summary>
    public static string ConsumerRef(Random rng, string channel) => channel switch
    {
        "alipay" or "taobao" => "2088" + Draw.Digits(rng, 12),
        "wechatpay" => "o" + Draw.Base64Url(rng, 27),
        "unionpay" => "up" + Draw.Digits(rng, 16),
        "meituan" => "mt" + Draw.Digits(rng, 11),
        "jd" => "jd_" + Draw.Hex(rng, 12),
        "douyin" => "dy" + Draw.Digits(rng, 16),
        _ => channel + Draw.Digits(rng, 12),
    };

    /// <summary>The channel's order number (unique enough: 64+ random bits).</summary>
    public static string OrderId(Random rng, string channel, DateTimeOffset paidAt)
    {
        var date = paidAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return channel switch
        {
            "alipay" or "taobao" => date + "2200" + Draw.Digits(rng, 20),
            "wechatpay" => "4200" + Draw.Digits(rng, 6) + date + Draw.Digits(rng, 10),
            _ => channel.ToUpperInvariant()[..2] + date + Draw.Digits(rng, 18),
        };
    }
}
