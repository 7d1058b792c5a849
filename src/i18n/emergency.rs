//! Strings of emergency mode (平急转换): Today's red banner, the emergency screen (reason,
//! since, the call roster and 主动报到, the live board), the staff's switch and switch-back
//! forms and the history of past emergencies.

messages! {
    EmergencyMsg {
        Title => "紧急状态", "Emergency";
        Reason => "原因", "Reason";
        Area => "范围", "Area";
        None => "当前没有紧急状态。", "No emergency is on.";
        Roster => "应急联络", "Who to call";
        NoRoster => "本范围内没有登记的联络人和单位。", "Nobody on the roster in this area.";
        Reported => "已报到", "Reported";
        Report => "主动报到", "Report available";
        ReportNote => "可出动的人员、物资（选填，如“可出动3人”）", "People or equipment you bring (optional, e.g. \"3 people\")";
        ReportSaved => "已报到，联网后自动上报。", "Reported; it goes up when online.";
        ReportAgain => "更新报到说明", "Update your report";
        Board => "排查看板", "Check board";
        BoardHint => "独居老人、残疾、重病、留守儿童、低保户，自启动起已见面或电话联系上的算已排查。", "Elderly living alone, disabled, seriously ill, left-behind children and low-income households; reached since the switch counts as checked.";
        NoBoard => "范围内没有需要排查的重点户。", "No vulnerable households in this area.";
        Checked => "已排查", "Checked";
        Unchecked => "未排查", "Not checked";
        Grid => "网格", "Grid";
        Start => "启动紧急状态", "Switch into emergency";
        Kind => "类型", "Kind";
        ReasonHint => "原因（如“气象台发布暴雨红色预警”）", "Reason (e.g. \"red rainstorm warning\")";
        StartScope => "范围", "Area";
        End => "解除紧急状态", "End the emergency";
        EndNote => "解除说明（如“雨停，道路已清理”）", "Note (e.g. \"rain stopped, roads cleared\")";
        Ended => "已解除", "Ended";
        History => "历次紧急状态", "Past emergencies";
        NoHistory => "没有已解除的紧急状态。", "No past emergencies.";
        Open => "查看", "Open";
        Call => "拨打", "Call";
    }
}
