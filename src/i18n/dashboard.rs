//! Strings of the Dashboard (统计) and the printable monthly issue list.

messages! {
    DashMsg {
        DashTitle => "统计分析", "Dashboard";
        StaffOnly => "统计分析仅供社区书记及以上工作人员使用。网格员可在“今日”和“问题”中查看自己的工作。", "The dashboard is only for community staff and above. Grid workers see their own work under Today and Issues.";
        ScopeMonth => "统计范围", "Scope";
        Open => "未结案", "Not closed";
        Overdue => "超期", "Overdue";
        ClosedThisMonth => "本月办结", "Closed this month";
        MedianClose => "办结用时中位数", "Median time to close";
        Supervision => "需督办", "Need supervision";
        Days => "天", "days";
        Hours => "小时", "hours";
        LowLevelTitle => "小事不出网格，大事不出社区", "Small matters stay in the grid, big ones in the community";
        ClosedAtGrid => "网格内办结", "Closed in the grid";
        ClosedInCommunity => "社区内办结", "Closed within the community";
        ClosedByLevel => "各层级办结数", "Closed per level";
        NoneClosed => "还没有办结的问题。", "Nothing closed yet.";
        ByCategory => "按类别", "By category";
        ByLevel => "未结案问题所在层级", "Where issues not yet closed sit";
        Closed => "已办结", "Closed";
        DataTable => "查看数据表", "Show the figures as a table";
        Category => "类别", "Category";
        Level => "层级", "Level";
        VisitsTitle => "本月走访", "Visits this month";
        VisitsDone => "已走访", "Visits made";
        VisitsDue => "应走访", "Visits due";
        HouseholdsOverdue => "超期未走访户", "Households overdue a visit";
        MeetingLink => "联席会议问题清单", "Issue list for the joint meeting";
        MeetingTitle => "问题清单", "Issue list";
        MeetingSubtitle => "党建联席会议研判用", "For the monthly joint meeting";
        Print => "打印", "Print";
        OpenSection => "待研判 / 办理中", "Open: to discuss and in hand";
        ClosedSection => "本月已办结", "Closed this month";
        ColNo => "序号", "No.";
        ColTitle => "问题", "Issue";
        ColGrid => "网格", "Grid";
        ColStatus => "状态", "Status";
        ColReported => "上报日期", "Reported";
        ColAge => "已历时", "Age";
        OverdueMark => "超期", "overdue";
        NoOpen => "没有未结案的问题。", "No issues waiting to be closed.";
        NoClosed => "本月还没有办结的问题。", "Nothing closed this month.";
        PreparedAt => "制表时间", "Prepared";
        Back => "返回统计", "Back to the dashboard";
        Loading => "正在计算…", "Calculating…";
        Count => "件", "issues";
        CommitteeTitle => "大党委工作", "The joint committee at work";
        Month => "月份", "Month";
        Scope => "范围", "Scope";
        JointMeetings => "召开联席会议", "Joint meetings held";
        ItemsDecided => "研判事项", "Items decided";
        OnsiteSessions => "现场办公", "On-site office sessions";
        OnsiteSolved => "现场办公解决问题", "Problems taken on site and solved since";
        ByHost => "各领导现场办公", "On-site offices per leader";
        Host => "领导", "Leader";
        Sessions => "次数", "Sessions";
        Solved => "已解决 / 现场交办", "Solved / taken on site";
        KeptInCommunity => "矛盾不上交：社区及以下办结", "Kept in the community: closed at grid or community";
        Handed => "交办单位/部门办结", "Handed to units: done";
        HandedOnTime => "按期办结率", "Done on time";
        NoHost => "未记主持人", "No host recorded";
        OutOf => "/", "of";
    }
}
