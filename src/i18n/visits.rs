//! Strings of the Visits: record a visit, due-visit list.

messages! {
    VisitMsg {
        RecordVisit => "记录走访", "Record a visit";
        DueTitle => "待走访", "Due a visit";
        DueToday => "今天到期", "Due today";
        OverdueBefore => "已超期", "Overdue by";
        DaysUnit => "天", "days";
        NeverVisited => "从未走访", "Never visited";
        LastVisit => "上次走访", "Last visit";
        NoDue => "没有到期需要走访的住户。", "No household is due a visit.";
        RecentTitle => "最近走访", "Recent visits";
        NoRecent => "还没有走访记录。", "No visits recorded yet.";
        PickHousehold => "走访对象", "Household visited";
        SearchHousehold => "搜索户主姓名", "Search by head of household";
        SearchHint => "输入姓氏或姓名", "Type a surname or name";
        DueSuggestions => "或从待走访户中选择", "Or pick one that is due";
        NoMatch => "没有找到，请换个名字试试。", "Nothing found; try another name.";
        Change => "更换", "Change";
        VisitDate => "走访日期", "Date of the visit";
        Notes => "走访情况", "What you found";
        NotesHint => "记录身体状况、家庭近况和诉求。没有信号也能保存。", "Health, family news and requests. Saves without signal too.";
        QuickNotes => "常用语（点一下加入）", "Common phrases (tap to add)";
        Quick1 => "身体状况良好", "In good health";
        Quick2 => "无特殊诉求", "No special requests";
        Quick3 => "检查了燃气和用电安全", "Checked gas and electrical safety";
        Quick4 => "宣传了防诈骗知识", "Explained how to avoid scams";
        Quick5 => "反映了困难，需要跟进", "Raised a difficulty to follow up";
        Save => "保存走访", "Save visit";
        Saving => "正在保存…", "Saving…";
        AlsoTasks => "这户也是以下任务的对象，走访同时登记为“安全”：", "This household is a target of these tasks; the visit also records it as safe:";
        Cancel => "取消", "Cancel";
        NeedHousehold => "请先选择走访的住户", "Choose the household first";
        DateFuture => "走访日期不能晚于今天", "The visit date cannot be after today";
        Saved => "走访已保存在本机，联网后自动同步。", "Visit saved on this phone; it syncs when online.";
        ReportFromVisit => "走访中发现问题？上报问题", "Found a problem? Report an issue";
        Dismiss => "关闭", "Close";
        CharsUsed => "字", "characters";
    }
}
