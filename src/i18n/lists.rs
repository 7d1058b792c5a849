//! Strings of the three lists (三张清单: 资源、项目、需求), adding and editing an entry,
//! matching, claiming and fulfilling a need, the printed list and the dashboard's list and
//! mediation figures.

messages! {
    ListMsg {
        Title => "三张清单", "The three lists";
        Meetings => "会议", "Meetings";
        Resources => "资源", "Resources";
        Projects => "项目", "Projects";
        Needs => "需求", "Needs";
        AllStatus => "全部状态", "Any status";
        AllGrids => "全部网格", "All grids";
        Add => "新增", "Add";
        Print => "打印清单", "Print the list";
        Empty => "清单上还没有条目。", "Nothing on this list yet.";
        NoneMatch => "没有符合筛选条件的条目。", "Nothing matches the filters.";
        FromHousehold => "需求户", "Household";
        FromIssue => "来源问题", "From issue";
        TakenBy => "认领", "Taken by";
        MatchedTo => "匹配", "Matched to";
        Budget => "预算", "Budget";
        Yuan => "元", "yuan";
        Unit => "单位", "Unit";
        NoUnit => "（不填）", "(none)";
        Contact => "联系人", "Contact";
        Phone => "联系电话", "Phone";
        Availability => "可用时间", "Available";
        AvailabilityHint => "如：每周三下午", "e.g. Wednesday afternoons";
        Status => "进度", "Status";
        Name => "名称", "Title";
        Description => "说明", "Description";
        Grid => "所属社区 / 网格", "Community / grid";
        Household => "需求户（从名册中选择）", "Household (from the roster)";
        SearchHousehold => "按户主姓名查找", "Find by the head's name";
        ClearHousehold => "不关联住户", "No household";
        Kind => "清单", "List";
        Save => "保存", "Save";
        BadBudget => "预算请填写整数金额（元）", "Enter the budget as a whole number of yuan";
        NewTitle => "新增清单条目", "New list entry";
        EditTitle => "修改清单条目", "Edit the entry";
        Edit => "修改", "Edit";
        Back => "三张清单", "The three lists";
        NotFound => "手机上没有这个条目。", "This entry is not on the phone.";
        RecordedBy => "登记人", "Recorded by";
        Match => "匹配资源 / 项目", "Match to a resource or project";
        DoMatch => "匹配", "Match";
        NoOffers => "清单上还没有可匹配的资源或项目。", "No resource or project to match yet.";
        Claim => "认领", "Claim";
        ClaimMember => "在职党员认领", "Claimed by a party member";
        SearchMember => "按姓名查找党员", "Find a party member by name";
        NoMembers => "手机上没有符合的党员。", "No party member on the phone matches.";
        ClaimUnit => "单位认领", "Claimed by a unit";
        Fulfil => "办结", "Mark as met";
        FulfilDate => "办结日期", "Met on";
        Outcome => "办理情况", "How it was met";
        FulfilHint => "需求匹配或认领后才能办结。", "A need can be met once matched or claimed.";
        BadDate => "请填写日期", "Enter the date";
        Saved => "已保存", "Saved";
        RaiseNeed => "提出需求", "Raise a need";
        IssueNeeds => "由此问题提出的需求", "Needs raised from this issue";
        Choose => "请选择", "Choose";
        MedTitle => "矛盾纠纷调解", "Dispute mediation";
        MedMonth => "月份", "Month";
        MedAccepted => "受理", "Accepted";
        MedAgreed => "达成协议", "Agreed";
        MedRate => "调解成功率", "Resolved";
        MedEndedAt => "各层级调结", "Settled at each rung";
        MedZero => "“零上交”村（社区）", "Villages with no case sent up";
        MedEscalated => "有上交的村（社区）", "Villages that sent a case up";
        MedOverdue => "协议有逾期未履行条款", "Agreements with overdue terms";
        MedNone => "还没有调解案件。", "No mediation cases yet.";
        ListFigTitle => "三张清单", "The three lists";
        NeedsTaken => "需求已对接", "Needs taken on";
        NeedsMet => "需求已办结", "Needs met";
        ProjectsBy => "项目进度", "Projects by status";
        MostUsed => "使用最多的资源 / 项目", "Most used resources and projects";
        UsedCount => "对接需求", "needs matched";
        None => "无", "None";
    }
}
