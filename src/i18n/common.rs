//! Strings of the app shell (header, navigation, Today) and ones shared by screens.

messages! {
    /// Strings of the shell and those shared by several screens.
    Msg {
        AppName => "网格通", "Wangge";
        Online => "在线", "Online";
        Offline => "离线", "Offline";
        OfflineHint => "离线也可以照常记录，联网后自动同步。", "You can keep recording offline; it syncs when you are back online.";
        NavToday => "今日", "Today";
        NavIssues => "问题", "Issues";
        NavVisits => "走访", "Visits";
        NavRoster => "住户台账", "Households";
        NavDashboard => "统计", "Stats";
        NavMeetings => "会议", "Meetings";
        NavSettings => "设置", "Settings";
        MainNav => "主导航", "Main navigation";
        TodayTitle => "今日待办", "Today";
        DueVisits => "待走访户", "Households due a visit";
        MyOpenIssues => "我的未办结问题", "My open issues";
        Overdue => "超期督办", "Overdue (supervision)";
        NothingYet => "暂无内容", "Nothing here yet";
        IssuesTitle => "问题清单", "Issue list";
        VisitsTitle => "走访记录", "Visits";
        RosterTitle => "网格住户台账", "Households of the grid";
        SettingsTitle => "设置", "Settings";
        Language => "语言", "Language";
        AppVersion => "版本", "Version";
        NotFound => "页面不存在", "Page not found";
        StoragePersistence => "本地数据保护", "Local data protection";
        PersistGranted => "已开启：浏览器不会自动清除本机记录", "On: the browser will not clear this phone's records";
        PersistAskAgain => "再次申请保护", "Ask the browser again";
        PersistDenied => "未开启：存储紧张时浏览器可能清除记录，请尽快同步或导出", "Off: the browser may clear records when storage is low; sync or export soon";
        BackToToday => "返回今日", "Back to Today";
        NeedsMyAction => "待我处理", "Needs my action";
        SeeAll => "查看全部", "See all";
        DaysSinceVisit => "天未访", "days since the last visit";
        DueToday => "今天应访", "due today";
        NeverVisited => "从未走访", "never visited";
        LastVisit => "上次走访", "last visit";
        Visit => "走访", "Visit";
        TodayLoading => "正在读取本机数据…", "Reading the data on this phone…";
        NoDataYet => "本机还没有数据。联网后会自动同步您网格的住户信息和问题。", "No data on this phone yet. Your grid's households and issues sync once you are online.";
        FirstSyncUnderWay => "正在下载您网格的住户信息和问题，已下载的会陆续显示在这里。", "Downloading your grid's households and issues; what has arrived shows up here as it comes.";
        NothingToday => "今天没有需要您处理的事项。", "Nothing needs you today.";
}
}
