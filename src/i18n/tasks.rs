//! Strings of tasks sent down the grid (任务下发): Today's section, the task screen with its
//! targets and tick form, the sending form, forwarding, the sendings list and the board.

messages! {
    TaskMsg {
        Title => "任务", "Tasks";
        Urgent => "紧急", "Urgent";
        DoneOf => "已完成", "Done";
        OfTotal => "共", "of";
        Due => "截止", "Due";
        Overdue => "已逾期", "Overdue";
        Closed => "已结束", "Closed";
        CloseSending => "结束任务", "Close the task";
        CloseConfirm => "确认结束", "Close it";
        CloseCancel => "取消", "Cancel";
        CloseNote => "结束说明（选填）", "Closing note (optional)";
        CloseLeft => "尚未完成的对象：", "Targets not done: ";
        CloseLeftNone => "全部对象已完成。", "Every target is done.";
        CloseKeeps => "结束后各网格不再显示在“今日”，未完成的对象仍列在看板上；结束后登记的结果照样保留。", "Once closed it leaves every grid's Today; the targets not done stay listed on the board, and results recorded afterwards are still kept.";
        ClosedBy => "已结束", "Closed";
        ClosedCount => "项已结束", "records closed";
        NotFound => "本机没有这项任务。", "This task is not on this phone.";
        Back => "任务", "Tasks";
        Instructions => "任务要求", "Instructions";
        Targets => "任务对象", "Targets";
        NoTargets => "本网格没有符合条件的对象。", "No targets in this grid.";
        NotChecked => "未排查", "Not checked";
        Tick => "登记结果", "Record a result";
        Note => "情况说明（选填）", "Note (optional)";
        Save => "保存", "Save";
        Saved => "已保存，联网后自动上报。", "Saved; it goes up when online.";
        ReportIssue => "上报问题", "Report an issue";
        RaiseNeed => "提出需求", "Raise a need";
        Results => "已登记", "Recorded";
        Board => "进度看板", "Progress board";
        Send => "下发任务", "Send a task";
        Sendings => "任务下发", "Tasks sent";
        NoSendings => "还没有下发的任务。", "No tasks sent yet.";
        FieldTitle => "任务名称", "Title";
        FieldDue => "完成时限", "Deadline";
        FieldGrids => "下发到", "Send to";
        FieldTargets => "任务对象", "Targets";
        WholeGrid => "全网格（每个网格登记一次）", "The grid as a whole (one result per grid)";
        ByTag => "按关爱标签逐户排查", "Every household with a care tag";
        ByUnitKind => "按单位类型逐个排查", "Every unit of a kind";
        ByPick => "指定住户", "Chosen households";
        PickFilter => "按姓名或地址筛选", "Filter by name or address";
        PickNone => "所选网格里没有住户；请先选网格。", "No households in the chosen grids; choose grids first.";
        PickedCount => "已选", "Chosen";
        ForwardTo => "转发给", "Forward to";
        Emergency => "紧急任务（置顶）", "Emergency (goes to the top)";
        PickGrids => "请至少选择一个网格", "Choose at least one grid";
        BadDue => "请填写完成时限", "Enter a deadline";
        Forward => "转发到下级网格", "Forward to the grids below";
        Forwarded => "已转发到下级网格", "Forwarded to the grids below";
        AddedNote => "补充要求（选填）", "Added instructions (optional)";
        Grid => "网格", "Grid";
        Unreached => "未排查到", "Not reached";
        AllReached => "全部完成", "All done";
        StaffOnly => "社区及以上工作人员才能下发任务。", "Only community staff and above send tasks.";
    }
}
