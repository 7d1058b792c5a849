//! The words of each refusal, in Chinese (what the server sends, exactly as it always
//! has, so API tests and old phones read the same text) and in English.

use super::{ActorFault, Forbidden, RecordFault, Refusal};
use crate::record_type::{describe, Lang};
use crate::sync::Collection;

/// The author field's name as the message says it ("问题的上报人").
fn author(collection: Collection, lang: Lang) -> &'static str {
    match describe(collection).author {
        Some(a) => a.label.get(lang),
        None => match lang {
            Lang::Zh => "记录的作者",
            Lang::En => "the record's author",
        },
    }
}

impl Refusal {
    /// What went wrong and what to do, in Chinese (sent on the wire).
    pub fn message_zh(&self) -> String {
        use Refusal::*;
        match self {
            Domain(e) => e.message_zh(),
            Delete(d) => d.message_zh().into(),
            IdMismatch => "记录的 id 字段必须与记录编号一致".into(),
            UnknownField { collection, field } => {
                format!("{}记录没有字段“{field}”,请更新应用", collection.name())
            }
            InvalidRecord(RecordFault::Unreadable(e)) => format!("记录内容不完整或格式不对:{e}"),
            InvalidRecord(RecordFault::NotAnObject) => "记录内容格式不对".into(),
            InvalidRecord(RecordFault::NoGrid) => "记录缺少所属网格".into(),
            UnknownCollection { name } => format!("没有名为“{name}”的数据集合,请更新应用"),
            UnknownOp { op } => format!("不支持的操作“{op}”,请更新应用"),
            InvalidMutation { detail } => format!("这条修改的格式不正确:{detail}"),
            EmptyPut => "这条修改没有设置任何字段".into(),
            BadField { field } => format!("字段名“{field}”不允许使用"),
            SeqGap { expected, got } => format!("修改序号不连续:应为{expected},收到{got}"),
            ActorMismatch(ActorFault::Event) => "只能以您本人的名义记录问题的办理过程".into(),
            ActorMismatch(ActorFault::NewRecord(c)) => {
                format!("{}必须是您本人", author(*c, Lang::Zh))
            }
            ActorMismatch(ActorFault::Rewritten(c)) => {
                format!("{}已记录,不能修改", author(*c, Lang::Zh))
            }
            ActorRoleMismatch { role } => {
                format!("您没有“{}”身份,不能以该身份办理", role.label_zh())
            }
            StepNotAllowed { action, level } => {
                format!("您的身份不能对{}层级的问题执行“{}”", level.label_zh(), action.label_zh())
            }
            EditNotAllowed { level } => {
                format!("问题已在{}层级办理,您不能修改它的内容", level.label_zh())
            }
            GridAdminOnly => "网格的新增、修改和撤销请在“管理”中由管理员进行".into(),
            ForbiddenRole(Forbidden::GridWrite) => "您的身份不能新建或修改网格,请联系社区工作人员".into(),
            ForbiddenRole(Forbidden::PersonWrite) => "只有社区及以上工作人员可以维护人员信息".into(),
            ForbiddenRole(Forbidden::MeetingWrite) => "只有社区及以上工作人员可以记录联席会议和现场办公".into(),
            ForbiddenRole(Forbidden::TaskSend) => {
                "只有社区及以上工作人员可以下发、转发、修改或结束任务;网格员只登记完成情况".into()
            }
            ActorMismatch(ActorFault::TaskResult) => "只能以您本人的名义登记任务完成情况".into(),
            ForbiddenRole(Forbidden::EmergencySwitch) => {
                "只有镇街及以上工作人员可以启动或解除紧急状态;其他人员只能主动报到".into()
            }
            ActorMismatch(ActorFault::EmergencyReport) => "只能以您本人的名义主动报到".into(),
            ActorMismatch(ActorFault::Closing) => "只能以您本人的名义结束任务或解除紧急状态".into(),
            ForbiddenRole(Forbidden::UnitContactOnly) => {
                "单位联络员只能回复、办结或退回交办给本单位的问题,不能修改其他记录".into()
            }
            RolesFromAccount => "有账号的人员,其身份和所属网格由账号管理设定,不能在这里修改".into(),
            StaffRoleNeedsAccount => "网格员、社区及以上工作人员的身份需通过开设账号设定".into(),
            GridRetired { name } => format!("网格“{name}”已撤销,不能再在其中新增内容"),
            UnknownRecord { collection } => {
                format!("找不到该{},或不在您负责的范围内,请先同步", describe(*collection).noun.zh)
            }
            RecordDeleted => "该记录已被删除,修改未保存".into(),
            DeleteConflict => "该记录在您删除前已被他人修改,删除已作为冲突保存".into(),
            FieldConflict { field } => {
                format!("“{field}”等字段已被他人修改,您的修改已作为冲突保存,请核对处理")
            }
            EventIdReused => "该记录编号已被另一条记录使用,请更新应用后重试".into(),
            UnknownConflict => "找不到该冲突,请先同步后再处理".into(),
        }
    }

    /// What went wrong and what to do, in English.
    pub fn message_en(&self) -> String {
        use Refusal::*;
        match self {
            Domain(e) => e.message_en(),
            Delete(d) => d.message_en().into(),
            UnknownField { collection, field } => format!(
                "A {} record has no field \"{field}\"; please update the app",
                describe(*collection).noun.en
            ),
            InvalidRecord(RecordFault::Unreadable(e)) => {
                format!("The record is incomplete or malformed: {e}")
            }
            UnknownCollection { name } => {
                format!("There is no collection named \"{name}\"; please update the app")
            }
            UnknownOp { op } => format!("The operation \"{op}\" is not supported; please update the app"),
            InvalidMutation { detail } => format!("This change is malformed: {detail}"),
            BadField { field } => format!("The field name \"{field}\" is not allowed"),
            SeqGap { expected, got } => format!("Changes arrived out of order: expected {expected}, got {got}"),
            ActorMismatch(ActorFault::NewRecord(c)) => {
                format!("{} must be you", capitalised(author(*c, Lang::En)))
            }
            ActorMismatch(ActorFault::Rewritten(c)) => {
                format!("{} is already recorded and cannot be changed", capitalised(author(*c, Lang::En)))
            }
            ActorRoleMismatch { role } => {
                format!("You do not hold the role \"{}\" and cannot act in it", role.label_en())
            }
            StepNotAllowed { action, level } => format!(
                "Your role cannot \"{}\" an issue at {} level",
                action.label_en().to_lowercase(),
                level.label_en()
            ),
            EditNotAllowed { level } => format!(
                "The issue is being handled at {} level; you cannot change its content",
                level.label_en()
            ),
            ForbiddenRole(Forbidden::MeetingWrite) => {
                "Only community staff and above can record joint meetings and on-site offices".into()
            }
            ForbiddenRole(Forbidden::TaskSend) => {
                "Only community staff and above send, forward, change or close a task; grid workers record results"
                    .into()
            }
            ActorMismatch(ActorFault::TaskResult) => "A task result can only be recorded in your own name".into(),
            ForbiddenRole(Forbidden::EmergencySwitch) => {
                "Only town or district staff switch an area into emergency or back; everyone else reports available"
                    .into()
            }
            ActorMismatch(ActorFault::EmergencyReport) => "You can report available only in your own name".into(),
            ActorMismatch(ActorFault::Closing) => "A task is closed, or an emergency ended, only in your own name".into(),
            ForbiddenRole(Forbidden::UnitContactOnly) => {
                "A unit contact can reply to, complete or refuse the issues handed to their unit, and change nothing else"
                    .into()
            }
            GridRetired { name } => format!("The grid \"{name}\" is retired; nothing new can be added to it"),
            UnknownRecord { collection } => format!(
                "This {} is unknown or outside your area; please sync first",
                describe(*collection).noun.en
            ),
            FieldConflict { field } => format!(
                "\"{field}\" (and perhaps other fields) was changed by someone else; your change is kept as a conflict to settle"
            ),
            // The rest say the same whatever they carry: one text per code.
            other => super::wire::english_for_code(other.code())
                .unwrap_or_else(|| other.code().to_string()),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
