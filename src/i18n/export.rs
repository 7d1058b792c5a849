//! Strings of the export screen (导出表格): offline CSV of what the phone holds, the
//! server's Excel file online, and this phone's own export log.

messages! {
    ExportMsg {
        Title => "导出表格", "Export to a spreadsheet";
        Link => "导出表格", "Export";
        SettingsHint => "把问题清单、住户台账、走访记录、调解案件、三张清单导出为表格，可用 Excel 或 WPS 打开。", "Export the issue list, household ledger, visits, mediation cases or the three lists as a spreadsheet for Excel or WPS.";
        Which => "导出哪张表", "Which list";
        Hint => "离线也能导出本机已有的记录（CSV，可用 Excel/WPS 打开）。表格含居民个人信息，请妥善保管，不要发到微信群。", "Works offline with the records on this phone (CSV, opens in Excel/WPS). The file holds residents' personal data: keep it safe and never post it to a chat group.";
        Filters => "筛选条件", "Filters";
        From => "开始日期", "From";
        To => "结束日期", "To";
        Grid => "网格", "Grid";
        AnyGrid => "全部网格", "All grids";
        OverdueOnly => "只导出督办/超期", "Only overdue / supervised";
        Csv => "导出表格(CSV)", "Export table (CSV)";
        Xlsx => "下载 Excel (.xlsx)", "Download Excel (.xlsx)";
        XlsxOffline => "联网后可下载 Excel；离线可导出 CSV", "Excel downloads need a connection; offline you can export CSV";
        XlsxHint => "Excel 文件由服务器按您的管辖范围生成，含最新数据，服务器会记录这次导出。", "The server builds the Excel file for your part of the grid with the latest data, and records the export.";
        Working => "正在导出…", "Exporting…";
        Done => "已导出：", "Exported: ";
        Rows => "行", "rows";
        Failed => "导出失败：", "Export failed: ";
        BadDates => "开始日期不能晚于结束日期", "The start date is after the end date";
        ContactOnly => "单位联络员账号不能导出网格的表格。", "A unit contact's account cannot export the grid's lists.";
        Expired => "登录已过期，请重新登录后再下载。", "Your login has expired: log in again to download.";
        Log => "本机导出记录", "Exports from this phone";
        LogHint => "离线导出的 CSV 不经过服务器，记录保存在本机；在线下载的 Excel 由服务器记录。", "Offline CSV exports never reach the server, so they are logged here on the phone; Excel downloads are logged by the server.";
        LogEmpty => "暂无导出记录", "No exports yet";
        KindIssues => "问题清单", "Issues";
        KindHouseholds => "住户台账(含关怀标签)", "Household ledger (with care tags)";
        KindVisits => "走访记录", "Visits";
        KindMediations => "调解案件", "Mediation cases";
        KindLists => "三张清单", "The three lists";
    }
}
