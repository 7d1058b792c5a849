//! Strings of the sync state, sync errors, login expiry and the conflict list.

messages! {
    SyncMsg {
        Pending => "待同步", "Pending";
        PendingNone => "全部已同步", "All synced";
        Syncing => "正在同步…", "Syncing…";
        Sent => "已发送", "sent";
        Received => "已接收", "received";
        ChangesUnit => "条", "changes";
        ListSeparator => "，", ", ";
        LastSynced => "上次同步", "Last synced";
        NeverSynced => "尚未同步", "Not synced yet";
        SyncNow => "立即同步", "Sync now";
        SyncState => "同步状态", "Sync state";
        ProblemOffline => "没有网络，记录已保存在本机，联网后自动同步。", "No connection. Everything is saved on this phone and syncs when you are back online.";
        ProblemLogin => "登录已过期，请重新登录后继续同步。本机记录不会丢失。", "Your login has expired. Log in again to keep syncing; nothing on this phone is lost.";
        ProblemRefused => "服务器拒绝了同步：", "The server refused the sync: ";
        ProblemServer => "服务器暂时出错，稍后自动重试。", "The server had a problem; trying again shortly.";
        ClockAhead => "手机时间比实际快了约", "This phone's clock is ahead by about ";
        ClockBehind => "手机时间比实际慢了约", "This phone's clock is behind by about ";
        ClockMinutes => "分钟", " minutes";
        ClockHours => "小时", " hours";
        ClockDays => "天", " days";
        ClockFix => "，请在手机设置中校准时间，否则记录的时间会不准。", ". Set the right time in the phone's settings, or what you record will be misdated.";
        ProblemStuck => "同步卡住了，本机记录已保留。请联系管理员。", "Sync is stuck; everything is kept on this phone. Please contact support.";
        Relogin => "重新登录", "Log in again";
        ConflictsTitle => "同步冲突", "Sync conflicts";
        ConflictsCount => "条冲突待处理", "conflicts to settle";
        ConflictsNone => "没有待处理的冲突。", "No conflicts to settle.";
        ConflictIntro => "同一字段被两部手机同时修改。服务器保留了先到的值，请核对后选择：", "The same field was changed on two phones. The server kept the first; check and choose:";
        ServerValue => "服务器上的值", "Value on the server";
        MyValue => "被搁置的值", "Value set aside";
        ChangedBy => "提交人", "Submitted by";
        KeepServer => "保留服务器的值", "Keep the server's value";
        UseMine => "改用被搁置的值", "Use the value set aside";
        RejectedTitle => "被退回的修改", "Changes the server refused";
        Dismiss => "知道了", "Got it";
        Field => "字段", "Field";
        Settled => "已处理，将随下次同步告知服务器。", "Settled; the server hears of it with the next sync.";
        OpenRecord => "查看记录", "Open the record";
        Record => "记录", "Record";
        JustNow => "刚刚", "just now";
        MinutesAgo => "分钟前", "min ago";
        HoursAgo => "小时前", "h ago";
        DaysAgo => "天前", "days ago";
    }
}
