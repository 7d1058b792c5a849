//! Strings of the Roster: grid tree, households, people, units, one household.

use crate::i18n::Lang;

messages! {
    RosterMsg {
        Households => "住户", "Households";
        People => "人员", "People";
        Units => "驻区单位", "Units";
        Sections => "台账分类", "Roster sections";
        GridPath => "网格层级", "Grid levels";
        SubGrids => "下级网格", "Grids below";
        FilterByTag => "按标签筛选", "Filter by tag";
        AllTags => "全部", "All";
        SearchByName => "搜索户主姓名", "Search by head of household";
        SearchHint => "输入姓氏或姓名", "Type a surname or name";
        HouseholdsUnit => "户", "households";
        Total => "共", "Total";
        ShowingFirst => "只显示前 100 户，请用搜索或标签缩小范围。", "Showing the first 100; search or filter by tag to narrow down.";
        NoHouseholds => "没有符合条件的住户。", "No households match.";
        NoPeople => "本网格没有登记人员。", "Nobody is on this grid's roster.";
        NoUnits => "本网格没有登记驻区单位。", "No units are registered in this grid.";
        Loading => "正在读取本机数据…", "Reading the data on this phone…";
        NoGrids => "本机还没有网格数据，请联网同步一次。", "No grid data on this phone yet; sync once with a connection.";
        Call => "拨打", "Call";
        NoPhone => "未登记电话", "No phone on record";
        Contact => "联系人", "Contact";
        Members => "家庭成员", "Members";
        Age => "岁", "y";
        VisitHistory => "走访记录", "Visit history";
        NoVisits => "还没有走访记录。", "No visits yet.";
        IssuesTitle => "相关问题", "Issues";
        NoIssues => "没有相关问题。", "No issues.";
        ReportIssue => "上报问题", "Report an issue";
        NotFound => "本机没有这户的记录（可能已移出您的网格）。请联网同步后再试。", "This household is not on this phone (it may have left your grid). Sync and try again.";
        Visitor => "走访人", "Visited by";
        RaisedIssues => "走访中发现的问题", "Issues found on this visit";
        NextVisit => "下次走访", "Next visit";
        EveryDaysBefore => "每", "Every";
        EveryDaysAfter => "天走访一次", "days";
        NotScheduled => "不在定期走访名单上", "Not on the visit schedule";
        HouseholdOf => "户", "household";
        Grid => "所在网格", "Grid";
        AddHousehold => "新增住户", "Add a household";
        EditHousehold => "修改住户信息", "Edit household";
        AddMember => "添加成员", "Add a member";
        EditMember => "修改", "Edit";
        EditMemberTitle => "修改成员信息", "Edit member";
        FieldAddress => "地址", "Address";
        FieldTags => "关爱标签", "Care tags";
        FieldHouseholdStatus => "住户状态", "Household status";
        FieldName => "姓名", "Name";
        FieldGender => "性别", "Gender";
        FieldBirthYear => "出生年份", "Year of birth";
        FieldPhone => "电话（可不填）", "Phone (optional)";
        FieldRelation => "与户主关系", "Relation to head";
        FieldMemberStatus => "成员状态", "Member status";
        HeadTitle => "户主", "Head of household";
        BirthYearNotNumber => "请填写四位数字的出生年份，例如 1965。", "Enter the year of birth as four digits, e.g. 1965.";
        Save => "保存", "Save";
        Cancel => "取消", "Cancel";
        NoChange => "没有改动。", "Nothing changed.";
        Saved => "已保存在本机，联网后自动同步。", "Saved on this phone; it syncs when online.";
        History => "修改记录", "Change history";
        PendingSync => "待同步", "Waiting to sync";
        ByMe => "本机修改", "changed on this phone";
        NoHistory => "还没有修改记录。", "No changes recorded yet.";
        HistoryNote => "每项只列最近一次修改；建系统时载入的数据没有修改人。", "Each field shows its latest change only; data loaded when the server was set up has no author.";
        NewMember => "新成员", "new member";
        BackToHousehold => "返回住户", "Back to the household";
        AddUnit => "新增单位", "Add a unit";
        EditUnit => "修改", "Edit";
        EditUnitTitle => "修改单位信息", "Edit unit";
        UnitName => "单位名称", "Name";
        UnitKind => "类别", "Kind";
        UnitContactName => "联系人（可不填）", "Contact name (optional)";
        UnitAccount => "联络员账号（可不填）", "Contact account (optional)";
        UnitAccountHint => "选中的人在自己手机上能看到交办给本单位的问题，并回复、办结或退回。", "This person sees the issues handed to the unit on their phone, and replies, resolves or refuses them.";
        NoAccount => "不指定", "None";
        AccountLabel => "联络员", "Contact account";
    }
}

/// A core enum's label in the current language (the core carries both).
pub fn label(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
