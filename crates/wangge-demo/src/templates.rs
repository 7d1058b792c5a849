//! Everyday issue templates for the demo, several per category, written the way grid
//! workers write them; plus the stock phrases for reasons, comments and ratings.

use super::SplitMix64;
use wangge_core::issue::{Category, Source};

/// One kind of everyday issue.
pub(super) struct Template {
    pub(super) category: Category,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    /// What resolving it usually looks like.
    pub(super) summary: &'static str,
    /// How such issues usually arrive, weighted.
    pub(super) sources: &'static [(Source, u32)],
    /// Whether it concerns one household.
    pub(super) household: bool,
    /// Whether it concerns a unit in the grid.
    pub(super) unit: bool,
}

const AROUND: &[(Source, u32)] = &[
    (Source::Visit, 35),
    (Source::RedSteward, 20),
    (Source::OnlineGrid, 25),
    (Source::WalkIn, 15),
    (Source::PartyBranch, 5),
];
const AT_HOME: &[(Source, u32)] = &[(Source::Visit, 70), (Source::WalkIn, 20), (Source::RedSteward, 10)];
const WARNED: &[(Source, u32)] = &[(Source::Monitoring, 50), (Source::Visit, 30), (Source::OnlineGrid, 20)];

const fn t(category: Category, title: &'static str, description: &'static str, summary: &'static str) -> Template {
    Template { category, title, description, summary, sources: AROUND, household: false, unit: false }
}

pub(super) const TEMPLATES: &[Template] = &[
    t(
        Category::Environment,
        "楼道堆放杂物,气味难闻",
        "楼道内长期堆放废旧家具和垃圾,夏天气味难闻。",
        "已组织清理楼道杂物,张贴提示",
    ),
    t(Category::Environment, "垃圾桶满溢未及时清运", "小区垃圾桶连续两天满溢,无人清运。", "已联系环卫所增加清运频次"),
    t(Category::Environment, "餐馆油烟扰民", "楼下餐馆油烟直排,低层住户无法开窗。", "已督促商户安装油烟净化设备"),
    t(Category::Infrastructure, "路灯不亮,夜间出行不便", "巷道两盏路灯损坏,晚上一片漆黑。", "已报修,路灯恢复照明"),
    t(Category::Infrastructure, "下水道堵塞返水", "单元下水道堵塞,一楼住户家中返水。", "已疏通下水管道"),
    t(
        Category::Infrastructure,
        "村道塌方影响通行",
        "连续降雨后村道一侧塌方,农用车无法通行。",
        "已清理塌方,设置警示并修复路基",
    ),
    Template {
        unit: true,
        ..t(
            Category::Safety,
            "电动车楼道充电存在火灾隐患",
            "有住户把电动车推进楼道充电,飞线拉电。",
            "已劝离并引导到集中充电桩充电",
        )
    },
    t(
        Category::Safety,
        "老旧楼栋外墙脱落",
        "外墙瓷砖脱落,砸到楼下花台,有伤人风险。",
        "已设置警戒区,联系维修资金修复外墙",
    ),
    t(Category::Safety, "河边护栏缺失", "河堤步道一段护栏缺失,儿童玩耍有落水风险。", "已补装护栏并设置警示牌"),
    Template {
        household: true,
        sources: AT_HOME,
        ..t(
            Category::Welfare,
            "独居老人行动不便,需要助餐服务",
            "老人独居,腿脚不便,做饭困难。",
            "已纳入社区助餐服务,志愿者每日送餐",
        )
    },
    Template {
        household: true,
        sources: AT_HOME,
        ..t(
            Category::Welfare,
            "家庭因病致困,申请临时救助",
            "家中有人患重病,医药费负担重。",
            "已协助申请临时救助并办理医保报销",
        )
    },
    Template {
        household: true,
        sources: AT_HOME,
        ..t(Category::Welfare, "留守儿童放学后无人照看", "父母在外务工,孩子放学后无人照看。", "已对接社区四点半课堂")
    },
    Template {
        household: true,
        ..t(
            Category::Dispute,
            "楼上漏水引发邻里纠纷",
            "楼上卫生间漏水到楼下,双方多次争吵。",
            "经调解,楼上住户维修防水并赔偿损失",
        )
    },
    t(Category::Dispute, "宅基地边界纠纷", "两户村民因宅基地边界发生争执。", "经村调委会现场丈量调解,双方签订协议"),
    Template {
        unit: true,
        ..t(
            Category::Dispute,
            "务工人员工资被拖欠",
            "几名务工人员反映工地拖欠工资。",
            "经劳动监察和调解,工资已足额支付",
        )
    },
    t(
        Category::PropertyManagement,
        "小区车辆乱停放堵塞消防通道",
        "小区内车辆乱停,消防通道被堵。",
        "物业施划停车位并安排夜间巡查",
    ),
    t(
        Category::PropertyManagement,
        "电梯经常故障",
        "单元电梯一个月内多次停运,老人上下楼困难。",
        "物业更换电梯主板,维保单位加强检查",
    ),
    t(
        Category::PropertyManagement,
        "单体楼栋无物业管理",
        "老旧单体楼无物业,卫生和维修无人负责。",
        "社区成立物业服务中心,实现托管",
    ),
    Template {
        household: true,
        ..t(Category::Housing, "房屋产权证办理困难", "老旧家属区房屋多年未办理产权证。", "已协调不动产登记中心集中办理")
    },
    t(Category::Housing, "危旧房屋需要鉴定", "房屋墙体开裂,住户担心安全。", "已委托鉴定并安排住户临时搬离"),
    t(Category::Greening, "树枝遮挡采光需修剪", "行道树树枝伸到窗前,遮挡低层采光。", "已协调园林部门修剪"),
    t(Category::Greening, "绿化带被毁种菜", "有住户毁坏公共绿化带种菜。", "已劝导恢复绿化"),
    Template {
        sources: WARNED,
        ..t(Category::Emergency, "暴雨导致道路积水", "强降雨后路段积水没过脚踝。", "已组织排水,疏通雨水口")
    },
    Template {
        sources: WARNED,
        ..t(Category::Emergency, "山体滑坡隐患点出现裂缝", "监测点附近山体出现新裂缝。", "已转移受威胁住户,设置监测")
    },
    Template {
        unit: true,
        ..t(Category::Enterprise, "企业招工难求助", "企业反映急需普工,招工困难。", "已对接就业服务站发布岗位")
    },
    Template {
        unit: true,
        ..t(
            Category::Enterprise,
            "商户门前道路破损影响经营",
            "门前道路破损,顾客车辆无法停靠。",
            "已协调市政部门修补路面",
        )
    },
    Template {
        sources: WARNED,
        ..t(
            Category::Other,
            "学校宿舍建设进度滞后",
            "监测平台预警:学校宿舍建设进度滞后于计划。",
            "已督促施工单位增加人手,按期完工",
        )
    },
    t(Category::Other, "群众咨询养老保险缴费", "居民咨询城乡居民养老保险缴费标准和方式。", "已上门讲解并协助线上缴费"),
];

/// A template, each equally likely.
pub(super) fn pick(rng: &mut SplitMix64) -> &'static Template {
    rng.pick(TEMPLATES)
}

/// Why an issue goes up from the grid, the community and the town.
pub(super) const ESCALATION_REASONS: [&str; 3] =
    ["网格力量无法解决,需社区协调", "涉及多个单位,需镇街统筹", "涉及区级部门职责和资金,提请区级协调"];

pub(super) const RETURN_REASONS: &[&str] =
    &["信息不完整,请补充具体位置和照片", "不属于本级职责范围,请补充诉求人联系方式后重新上报"];

pub(super) const WITHDRAW_REASONS: &[&str] = &["与已上报的问题重复", "误报:核实后住户已自行解决"];

pub(super) const REOPEN_REASONS: &[&str] = &["回访发现问题复发", "居民反映问题未彻底解决"];

pub(super) const COMMENTS: &[&str] =
    &["已电话联系当事人", "已现场查看并拍照", "提交党建联席会议研判", "已联系相关单位,等待回复"];

pub(super) const RATING_COMMENTS: &[&str] = &["办得快,很满意", "感谢网格员", "基本解决了", "希望以后多回访"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_template() {
        for c in Category::ALL {
            assert!(TEMPLATES.iter().any(|t| t.category == c), "{c:?}");
        }
    }
}
