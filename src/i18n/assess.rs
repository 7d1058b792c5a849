//! Strings of the assessment page (考核): a month's raw counts per grid and per worker,
//! what each counts, its CSV export and print.

messages! {
    AssessMsg {
        Title => "网格考核", "Grid assessment";
        MineTitle => "我的考核", "My assessment";
        CardHint => "按月查看走访、上报、办结、逾期、居民评价和任务的原始数字，可导出、打印。", "Each month's raw counts of visits, reports, closed and overdue issues, residents' ratings and tasks; export or print them.";
        Month => "月份", "Month";
        CountedTo => "统计截至", "Counted up to";
        Grid => "网格", "Grid";
        Person => "人员", "Person";
        WholeGrid => "全网格", "Whole grid";
        Total => "合计", "Total";
        NotAssigned => "（其他人员）", " (not its grid worker)";
        Visits => "按时走访 / 应走访", "Visited on schedule / visits due";
        Reported => "走访后一日内上报 / 本月上报", "Reported within a day of a visit / reported";
        ClosedLow => "网格社区内办结 / 本月办结", "Closed in the grid or community / closed";
        Overdue => "逾期 / 在办", "Overdue / open";
        Ratings => "居民评价", "Residents' ratings";
        Points => "分", "★";
        NoRatings => "暂无评价", "No ratings";
        TaskReached => "已排查到 / 任务结果", "Reached / task results";
        TaskOnTime => "按期排查到 / 已排查到", "Reached by the deadline / reached";
        TaskRecords => "按期完成 / 到期任务", "Done by the deadline / tasks due";
        GridOnly => "按网格计", "Per grid";
        NoScore => "本表不计算综合得分，只列原始数字，每个数字都可以核对。", "No score is computed: only raw counts, each of which can be checked.";
        Sources => "数字来源：走访——本机的走访记录，按走访计划（独居老人每7天，残疾、重病、留守儿童每14天，低保每30天）算应走访次数，每户按时走访最多计到应走访次数；上报——问题的上报时间，在对该户走访的当天或次日上报计为走访后一日内；办结——本月结案的问题和结案时所在层级；逾期——月末（本月为此刻）仍在办且已超过办理时限的问题；评价——本月结案问题的居民评价；任务——本月登记的任务结果，以及本网格本月到期的任务是否在期限内全部完成。个人行只计本人走访、本人上报的问题、本人登记的结果。", "Where the numbers come from: visits — the visit records, with the visits due from the visit schedule (elderly living alone every 7 days; disabled, seriously ill and left-behind children every 14; low-income every 30), each household's visits on schedule counted up to the visits due; reports — when each issue was reported, on the day of a visit to the household or the day after counting as within a day; closed — issues closed this month and the rung they were closed at; overdue — issues still open at the month's end (now, for this month) and past their due time; ratings — residents' ratings of issues closed this month; tasks — task results recorded this month, and whether this grid's tasks due this month had every target reached by the deadline. A person's row counts only their own visits, the issues they reported and the results they recorded.";
        Csv => "导出表格(CSV)", "Export table (CSV)";
        Print => "打印", "Print";
        Working => "正在导出…", "Exporting…";
        Exported => "已导出：", "Exported: ";
        Failed => "导出失败：", "Export failed: ";
        Rows => "行", "rows";
        NoData => "本机还没有这个网格的数据，请先联网同步。", "This phone has no data for this grid yet: sync first.";
        LogKind => "考核表", "Assessment";
    }
}
