//! Strings of hand-offs to units and departments (交办): the hand-over form, the issue
//! head and timeline, Today's section for a unit's contact, and the roster's unit form.

use wangge_core::meeting::MeetingKind;

use crate::i18n::Lang;

messages! {
    HandoffMsg {
        FieldUnit => "交给哪个单位或部门", "Hand to which unit or department";
        UnitRequired => "请选择单位或部门", "Choose a unit or department";
        NoUnitsOnPhone => "本机没有单位或部门的记录。请先在花名册的“驻区单位”中添加，或联网同步。", "No units or departments on this phone. Add one under Roster › Units, or sync.";
        GroupDepartments => "区级部门", "District departments";
        GroupUnits => "驻区单位", "Local units";
        NoContact => "未指定联络员", "no contact account";
        FieldDue => "办理期限（可不填）", "Due by (optional)";
        DueHint => "默认7天。到期未办结的会显示超期。", "Seven days unless changed; past it, the hand-off shows as overdue.";
        DueInPast => "办理期限不能早于今天", "The due date cannot be before today";
        FieldNote => "交办说明（可不填）", "Note to the unit (optional)";
        RefuseButton => "退回（不属于本单位）", "Refuse (not ours)";
        FieldReply => "回复内容", "Reply";
        FieldRefusal => "退回理由", "Why it is not ours";
        HandedTo => "已交办：", "Handed to: ";
        Overdue => "已超期", "overdue";
        Dismissed => "不予办理", "Closed as not actionable";
        TimelineUnit => "交给：", "To: ";
        TodayHanded => "交办给本单位的问题", "Issues handed to my unit";
        ContactOnlyNote => "您是单位联络员：这里列出交办给本单位的问题，请回复、办结，不属于本单位的请退回。", "As a unit contact you see the issues handed to your unit: reply, resolve, or refuse what is not yours.";
        NoDue => "未定期限", "no due date";
    }
}

/// "(2026-11-20 联席会议研判)" / "(2026-11-20 现场办公)": the meeting a step was decided
/// at, by its day and kind.
pub fn decided_at(day: &str, kind: MeetingKind, lang: Lang) -> String {
    match (lang, kind) {
        (Lang::Zh, MeetingKind::JointMeeting) => format!("（{day} {}研判）", kind.label_zh()),
        (Lang::Zh, MeetingKind::OnSiteOffice) => format!("（{day} {}）", kind.label_zh()),
        (Lang::En, _) => format!("(decided at the {} of {day})", kind.label_en().to_lowercase()),
    }
}

/// "限 11月30日前" / "due by 30 Nov": a hand-off's due day.
pub fn due_by(month: u8, day: u8, lang: Lang) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("限 {month}月{day}日前"),
        Lang::En => format!("due by {day} {}", MONTHS[usize::from(month.clamp(1, 12) - 1)]),
    }
}
