//! The seed reports' own cases, each played through the state machine the way the
//! reports tell it: who raised it, how far up the ladder it went, how it ended — or, for
//! the committee's cases, up to the meeting that decides them (`committee.rs` goes on).
//! Residents stay anonymous; places and amounts are the reports'.

use super::story::Step::{self, *};
use wangge_core::issue::{Category, Priority, Source};

/// One case from the seeds.
pub(super) struct Case {
    /// Grid code where it happened.
    pub(super) grid: &'static str,
    /// Name of the unit concerned, if any (see `households::NAMED_UNITS`).
    pub(super) unit: Option<&'static str>,
    /// Whether it concerns the household prepared for it (the welfare case).
    pub(super) household: bool,
    pub(super) category: Category,
    pub(super) source: Source,
    pub(super) priority: Priority,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    /// How long ago it was reported.
    pub(super) days_ago: i64,
    /// Usual time between steps, in hours.
    pub(super) gap_hours: i64,
    pub(super) steps: &'static [Step],
}

const fn case(grid: &'static str, category: Category, source: Source, priority: Priority) -> Case {
    Case {
        grid,
        unit: None,
        household: false,
        category,
        source,
        priority,
        title: "",
        description: "",
        days_ago: 0,
        gap_hours: 72,
        steps: &[],
    }
}

/// The cases, in the order they are generated.
pub(super) const CASES: &[Case] = &[
    Case {
        unit: Some("元屏大道汽车修理厂"),
        title: "元屏大道人行道被汽修厂进出车辆碾烂",
        description: "人行道被汽修厂进出的汽车碾烂,晴天一身灰,雨天一身泥,老年人在此摔过跤。汽修厂几经转让,权责不明,居民多次反映未能解决。",
        // Up to the community and onto its issue list; last month's joint meeting hands
        // it to 区城管局 (see `committee.rs`): it never leaves the community.
        days_ago: 75,
        gap_hours: 96,
        steps: &[
            Comment("居民多次反映,汽修厂几经转让,权责不明"),
            Escalate("人行道权属不清,网格无法协调责任单位"),
            Accept,
        ],
        ..case("500110002001001", Category::Infrastructure, Source::RedSteward, Priority::High)
    },
    Case {
        title: "几个小区中间的建筑垃圾堆放场无人管理",
        description: "小区之间有一处无人管理的建筑垃圾堆放场,有臭味,居民都不愿往窗外看,影响小区入住。",
        days_ago: 200,
        gap_hours: 200,
        steps: &[
            Escalate("垃圾场位于几个小区之间,需社区大党委整合资源"),
            Accept,
            Assign,
            Comment("第一书记实地调研,协调相关单位筹集资金"),
            Resolve("垃圾已清运,建成占地2000平方米的社区文化活动广场"),
            Verify,
            Rate(5, Some("以后就跟住在公园里一样了")),
        ],
        ..case("500110002001021", Category::Environment, Source::WalkIn, Priority::Normal)
    },
    Case {
        title: "房屋没有产权,希望落实房改政策尽早拿到产权证",
        description: "原齿轮厂家属区工人村房屋一直没有产权证,居民希望落实房改政策。由社区党支部收集上报。",
        days_ago: 150,
        steps: &[
            Escalate("工人村房屋产权属历史遗留问题,需社区研判"),
            Accept,
            Escalate("房改政策需街道和区级部门落实,社区无法办理"),
            Accept,
            Assign,
            Comment("已梳理7个工人村房屋产权情况,分批办理"),
            Supervise("历史遗留问题,列入督办"),
        ],
        ..case("500110001001001", Category::Housing, Source::PartyBranch, Priority::Normal)
    },
    Case {
        title: "树枝太高影响采光,需要修剪",
        description: "楼前行道树树枝太高,遮挡低层住户采光。",
        days_ago: 120,
        steps: &[
            Escalate("需社区协调园林工人修剪"),
            Accept,
            Assign,
            Resolve("社区协调园林工人修剪树枝,采光恢复"),
            Verify,
            Rate(4, None),
        ],
        ..case("500110001001003", Category::Greening, Source::PartyBranch, Priority::Low)
    },
    Case {
        title: "二村小区4栋高层漏水,消防水泵送不上水",
        description: "二村小区4栋居民楼都是高层,交房后一直漏水,消防水泵送不上水,查不到漏点。",
        days_ago: 330,
        gap_hours: 300,
        steps: &[
            Comment("一直存在漏水问题,怎么都查不到漏点"),
            Escalate("需社区大党委协调资金改造水管和消防水泵"),
            Accept,
            Assign,
            Comment("大党委协调各方资源,筹集资金70万元"),
            Resolve("4栋楼的水管和消防水泵全部改造完成"),
            Verify,
            Rate(5, Some("改造好的消防水泵在火灾中救了几户人家")),
        ],
        ..case("500110001001024", Category::Safety, Source::RedSteward, Priority::Urgent)
    },
    Case {
        title: "君鼎疆上小区至营盘山公园160米便道无路灯、路面湿滑",
        description: "长约160米、宽约3.5米的原施工便道荒废后无路灯、路面湿滑,是居民去营盘山公园的捷径,安全隐患大。",
        days_ago: 250,
        steps: &[
            Escalate("便道原为施工用地,需协调辖区企业出资"),
            Accept,
            Assign,
            Resolve("第一书记现场办公,协调企业出资硬化路面、安装路灯、补种绿植"),
            Verify,
            Rate(5, None),
        ],
        ..case("500110003001021", Category::Safety, Source::WalkIn, Priority::High)
    },
    Case {
        title: "暴雨后多条道路积水、行道树倒塌、护栏损毁",
        description: "突遭大风雷雨天气,辖区多条道路严重积水,行道树倒塌,护栏被损毁。",
        days_ago: 340,
        gap_hours: 6,
        steps: &[
            Escalate("多条道路受灾,需社区统筹应急力量"),
            Accept,
            Assign,
            Comment("第一书记带领党员干部冲在一线清理路面"),
            Resolve("积水已排除,倒伏树木已清理,护栏已修复"),
            Verify,
        ],
        ..case("500110003001001", Category::Emergency, Source::Monitoring, Priority::Urgent)
    },
    Case {
        household: true,
        title: "父亲瘫痪多年、儿子患红斑狼疮,家庭困难",
        description: "走访发现父亲瘫痪多年,儿子患红斑狼疮,每月医药费约2000元,经济非常困难。征得父子同意后上报。",
        days_ago: 60,
        gap_hours: 8,
        steps: &[
            Escalate("需社区申报低保救助"),
            Accept,
            Assign,
            Resolve("两天内完成低保救助审核,已纳入低保"),
            Verify,
            Rate(5, Some("感谢网格员")),
        ],
        ..case("500155001001003", Category::Welfare, Source::Visit, Priority::High)
    },
    Case {
        unit: Some("某机械制造有限公司"),
        title: "企业进出道路成断头路,原料运不进、成品送不出",
        description: "因城市建设,企业进出道路成了断头路,临时道路窄且限行,大型设备无法运输。",
        days_ago: 100,
        gap_hours: 30,
        steps: &[
            Escalate("道路问题需社区协调"),
            Accept,
            Escalate("涉及城市建设,需街道协调"),
            Accept,
            Escalate("涉及多个区级部门,提请区领导楼栋工作日现场办公"),
            Accept,
            Assign,
            Resolve("区领导现场办公,发放特别通行证、清理临时通道障碍,5天解决"),
            Verify,
            Rate(5, None),
        ],
        ..case("500110002001003", Category::Enterprise, Source::Visit, Priority::High)
    },
    Case {
        unit: Some("某酒业有限公司"),
        title: "三名工人被停产企业拖欠工资和社保",
        description: "公司已停产,无力支付三名工人工资,工人希望尽快支付欠薪并缴纳社保。",
        days_ago: 90,
        steps: &[
            Escalate("劳动报酬纠纷,需村里组织调解"),
            Accept,
            Escalate("企业无力支付,需乡里人民调解"),
            Accept,
            Assign,
            Comment("贵和工作法:请坐、喝茶、慢慢说;背靠背调解"),
            Resolve("签订人民调解协议书,公司支付拖欠工资等合计15.6万元,社保缴纳至9月"),
            Verify,
            Rate(5, None),
        ],
        ..case("500155120001002", Category::Dispute, Source::WalkIn, Priority::High)
    },
    Case {
        title: "2416名村民占地补偿金错算漏算",
        description: "巡察发现村民占地补偿金存在错算、漏算,涉及2416名村民、250余万元。",
        days_ago: 280,
        gap_hours: 200,
        steps: &[
            Escalate("涉及补偿金核算,村里无法处理"),
            Accept,
            Escalate("需镇里会同相关单位复核"),
            Accept,
            Escalate("涉及区级责任单位,需区级复核追回"),
            Accept,
            Assign,
            Supervise("区委巡察组督办"),
            Resolve("追回占地补偿金250余万元,建立互检机制和双监督制度"),
            Verify,
        ],
        ..case("500110105001001", Category::Other, Source::Monitoring, Priority::High)
    },
    Case {
        title: "小区车辆乱停放、消防通道堵塞",
        description: "小区内车辆乱停乱放,消防通道经常被堵。",
        days_ago: 9,
        gap_hours: 24,
        steps: &[Accept, Assign, Comment("已联系物业张贴告示,夜间巡查")],
        ..case("500110002001021", Category::PropertyManagement, Source::OnlineGrid, Priority::Normal)
    },
    // The joint committee's cases (see `committee.rs`): each waits on the community's
    // issue list until last month's joint meeting, or this month's on-site office,
    // decides it.
    Case {
        title: "御景江湾小区门口占道经营,堵塞人行道",
        description: "小区门口流动摊贩占道经营,早晚高峰人行道被堵,居民只能走机动车道。",
        days_ago: 66,
        gap_hours: 48,
        steps: &[Escalate("占道经营需执法部门处理,网格劝离无效"), Accept],
        ..case("500110002001021", Category::Environment, Source::RedSteward, Priority::Normal)
    },
    Case {
        title: "二村小区3栋化粪池堵塞外溢",
        description: "3栋化粪池堵塞,污水外溢到单元门口,气味很大。",
        days_ago: 64,
        gap_hours: 48,
        steps: &[Escalate("化粪池属小区公共设施,需物业处理"), Accept],
        ..case("500110001001023", Category::PropertyManagement, Source::RedSteward, Priority::High)
    },
    Case {
        title: "五村困难家庭申请临时救助",
        description: "五村一户家庭主要劳动力因病住院,家中老人小孩无人照顾,生活困难,申请临时救助。",
        days_ago: 63,
        gap_hours: 48,
        steps: &[Escalate("临时救助需社区审核后报民政部门"), Accept],
        ..case("500110001001005", Category::Welfare, Source::Visit, Priority::High)
    },
    Case {
        title: "四村广场舞音响声音过大扰民",
        description: "四村小广场晚上跳广场舞音响声音过大,周边住户休息受影响。",
        days_ago: 62,
        gap_hours: 48,
        steps: &[Escalate("涉及多方,需社区出面协调"), Accept],
        ..case("500110001001004", Category::Dispute, Source::PartyBranch, Priority::Low)
    },
    Case {
        title: "六村原厂区围墙倾斜,存在倒塌隐患",
        description: "六村旁原齿轮厂厂区围墙明显倾斜,墙下是居民上下班必经之路。",
        days_ago: 61,
        gap_hours: 48,
        steps: &[Escalate("围墙产权属原企业,网格无法处理"), Accept],
        ..case("500110001001006", Category::Safety, Source::RedSteward, Priority::High)
    },
    Case {
        title: "七村老楼居民希望加装电梯",
        description: "七村老楼多为七层,老年住户多,希望加装电梯,但各楼层住户意见不一。",
        days_ago: 60,
        gap_hours: 48,
        steps: &[Escalate("加装电梯需社区组织协商"), Accept],
        ..case("500110001001007", Category::Housing, Source::PartyBranch, Priority::Normal)
    },
    Case {
        title: "二村小区2栋外墙瓷砖脱落",
        description: "2栋外墙瓷砖多处脱落,楼下是小区主要通道,有砸伤行人的危险。",
        days_ago: 20,
        gap_hours: 24,
        steps: &[Escalate("外墙维修需动用维修资金,需社区协调"), Accept],
        ..case("500110001001022", Category::Safety, Source::RedSteward, Priority::Urgent)
    },
    Case {
        title: "二村小区车位不足,车辆占用消防通道",
        description: "小区车位不足,晚上车辆停满消防通道,消防车进不来。",
        days_ago: 19,
        gap_hours: 24,
        steps: &[Escalate("车位规划需社区统筹"), Accept],
        ..case("500110001001002", Category::PropertyManagement, Source::OnlineGrid, Priority::High)
    },
];
