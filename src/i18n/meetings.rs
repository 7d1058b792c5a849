//! Strings of the meeting screens: the joint meeting (联席会议) and on-site office (现场办公)
//! list, opening one, deciding its items (研判) and the printable minutes (纪要).

messages! {
    MeetMsg {
        Title => "会议记录", "Meetings";
        StaffOnly => "会议记录供社区书记、大党委成员及以上工作人员使用。", "Meetings are for community secretaries, committee members and above.";
        OpenNew => "新建会议", "New meeting";
        NoMeetings => "还没有会议记录。", "No meetings recorded yet.";
        ItemsDecided => "已研判", "decided";
        Final => "已定稿", "Final";
        Draft => "记录中", "In progress";
        Back => "会议记录", "Meetings";
        Kind => "会议类型", "Kind";
        Grid => "所属社区 / 网格", "Community / grid";
        When => "时间", "Date and time";
        BadTime => "请填写会议时间", "Enter the date and time";
        Place => "地点", "Place";
        Host => "主持人", "Chaired by";
        HostOnSite => "带队领导", "Led by";
        NoHost => "（未指定）", "(none)";
        Attendees => "参会人员", "Attendees";
        NotInvited => "不列入", "Not listed";
        NoCommittee => "手机上还没有本社区的大党委成员。", "No committee members of this community on the phone yet.";
        Guests => "列席人员", "Also present";
        GuestsHint => "不在名册上的人员，如物业经理、居民代表", "People not on the roster, e.g. the property manager, residents' representatives";
        Create => "开始会议", "Open the meeting";
        AgendaDrawn => "联席会议开始时自动列入问题清单中社区及以上层级的未办结问题（督办、超期优先）。", "A joint meeting opens with the open issues at or above the community rung (supervised and overdue first).";
        OnSiteEmpty => "现场办公从空议程开始，现场收集的问题可手动加入。", "An on-site office starts with an empty agenda; add the problems taken on site.";
        Agenda => "议题", "Agenda";
        NoItems => "还没有议题。", "No items yet.";
        Decide => "研判", "Decide";
        Undecided => "未研判", "Not decided";
        Outcome => "研判结果", "Decision";
        Member => "交给哪位成员", "Member";
        Unit => "交给哪个单位 / 部门", "Unit or department";
        Choose => "请选择", "Choose";
        Due => "办理时限", "Due by";
        Note => "说明", "Note";
        NoteReason => "理由（必填）", "Reason (required)";
        AlreadyDecided => "这个议题已经研判过了。", "This item has already been decided.";
        SaveDecision => "保存研判", "Save the decision";
        Cancel => "取消", "Cancel";
        Deciding => "研判议题：", "Deciding: ";
        AddItem => "加入议题", "Add an item";
        SearchIssue => "按标题查找手机上的问题", "Find an issue on the phone by title";
        Add => "加入", "Add";
        NoMatch => "没有找到未办结的问题。", "No open issue matches.";
        ReportOnSite => "现场上报新问题", "Report a new issue on the spot";
        Notes => "会议纪要", "Minutes";
        SaveNotes => "保存纪要", "Save the minutes";
        Saved => "已保存", "Saved";
        CloseMinutes => "定稿", "Finalise the minutes";
        Reopen => "重新打开", "Reopen";
        ClosedNote => "纪要已定稿，研判结果不能再修改。", "The minutes are final; decisions can no longer change.";
        ShowMinutes => "查看纪要", "View the minutes";
        Print => "打印", "Print";
        MinutesTitle => "纪要", "minutes";
        Recorder => "记录人", "Recorded by";
        Present => "出席", "Present";
        Absent => "缺席 / 请假", "Absent / excused";
        None => "无", "None";
        ColNo => "序号", "No.";
        ColIssue => "议题", "Issue";
        ColGrid => "网格", "Grid";
        ColDecision => "研判结果", "Decision";
        ColWho => "承办", "Taken by";
        ColDue => "时限", "Due";
        FollowUp => "上次会议事项跟进", "Follow-up of the last meeting's items";
        NoPrevious => "没有上次同类会议的记录。", "No earlier meeting of this kind.";
        ColNow => "现状", "Now";
        Done => "已办结", "Done";
        InProgress => "办理中", "In progress";
        OverdueAtUnit => "单位超期未办结", "Overdue at the unit";
        NotOnPhone => "手机上已无此问题", "No longer on this phone";
        NotFound => "手机上没有这次会议的记录。", "This meeting is not on the phone.";
    }
}
