//! Strings of the issue list, the new-issue form and the issue detail. Labels of the
//! core's own enums (statuses, levels, categories, roles, actions) and its validation
//! messages come from the core in both languages and are not repeated here.

messages! {
    IssueMsg {
        NewIssue => "上报问题", "Report an issue";
        Loading => "正在读取本机记录…", "Reading this phone's records…";
        NoMatches => "没有符合条件的问题。", "No issues match.";
        ShownPrefix => "共", "Showing";
        ShownSuffix => "条", "issues";
        SearchLabel => "搜索问题标题或户主姓名", "Search issue titles or household heads";
        SearchPlaceholder => "搜索标题 / 户主姓名", "Search title / household head";
        FilterOverdue => "督办/超期", "Overdue / supervised";
        FilterMine => "我的", "Mine";
        MoreFilters => "筛选", "Filters";
        FilterStatus => "状态", "Status";
        FilterLevel => "层级", "Level";
        FilterCategory => "类别", "Category";
        FilterAny => "全部", "All";
        StatusOpen => "未结案", "Not closed";
        ClearFilters => "清除筛选", "Clear filters";
        HouseholdOf => "户主", "Household of";
        MarkOverdue => "超期", "Overdue";
        MarkSupervised => "督办", "Supervised";
        FieldCategory => "问题类别", "Category";
        Choose => "请选择", "Choose…";
        CategoryRequired => "请选择问题类别", "Please choose a category";
        FieldTitle => "问题标题", "Title";
        FieldDescription => "问题描述(可选)", "Description (optional)";
        FieldSource => "问题来源", "Source";
        FieldGrid => "所在网格", "Grid";
        FieldSubject => "涉及住户或单位(可选)", "Household or unit concerned (optional)";
        SubjectKind => "按住户或单位查找", "Find a household or a unit";
        KindHousehold => "住户", "Household";
        KindUnit => "单位", "Unit";
        SearchHousehold => "户主姓名", "Household head's name";
        SearchUnit => "单位名称", "Unit name";
        SearchResults => "查找结果", "Search results";
        NothingFound => "没有找到,请换个字试试。", "Nothing found; try other characters.";
        Picked => "已选:", "Selected:";
        Unpick => "取消选择", "Clear";
        FieldLocation => "位置(可选)", "Location (optional)";
        UseGps => "用手机定位", "Use phone GPS";
        RemoveLocation => "不记录位置", "Remove location";
        LocationNone => "未记录位置,不影响保存。", "No location recorded; you can still save.";
        Locating => "正在定位…", "Locating…";
        LocationGot => "已定位:", "Located:";
        LocationDenied => "没有定位权限。可在浏览器设置中允许定位,不定位也可以保存。", "Location permission was denied. Allow it in the browser settings, or save without a location.";
        LocationUnavailable => "暂时无法定位(信号弱或定位未开启),不定位也可以保存。", "Location is unavailable (weak signal or GPS off); you can save without it.";
        LocationTimeout => "定位超时,可以再试一次,或直接保存。", "Locating took too long; try again or save without it.";
        LocationUnsupported => "此浏览器不支持定位,不定位也可以保存。", "This browser cannot locate; you can save without a location.";
        FieldPriority => "紧急程度", "Priority";
        FieldDue => "期望办结日期(可选)", "Due date (optional)";
        DueHint => "不填则按层级默认期限(网格3天)。", "If empty, the level's default deadline applies (3 days at the grid).";
        SavedOffline => "保存在本机,无网络也可以保存,联网后自动上报。", "Saved on this phone, even offline; it is sent when you are online.";
        SaveIssue => "保存并上报", "Save and report";
    }
}
