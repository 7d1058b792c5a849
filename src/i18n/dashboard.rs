//! Strings of the Dashboard (统计) and the printable monthly issue list.

messages! {
    DashMsg {
        DashTitle => "统计分析", "Dashboard";
    }
}
