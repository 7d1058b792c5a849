//! Strings of the Issue list, new issue form and issue detail.

messages! {
    IssueMsg {
        NewIssue => "上报问题", "Report an issue";
    }
}
