//! Strings of the Settings: export/import, log out, update prompt.

messages! {
    SettingsMsg {
        DataTitle => "本机数据", "Data on this phone";
        ExportData => "导出本机数据", "Export this phone's data";
        ExportHint => "把本机全部记录（含未同步的修改）保存为一个 JSON 文件，可在另一部手机上导入。文件含居民个人信息，请妥善保管，不要发到微信群。", "Saves every record on this phone (unsynced changes included) as one JSON file you can import on another phone. It holds residents' personal data: keep it safe and never post it to a chat group.";
        Exporting => "正在导出…", "Exporting…";
        ExportDone => "已导出文件：", "Exported: ";
        ExportFailed => "导出失败：", "Export failed: ";
        ImportData => "从文件导入", "Import from a file";
        ImportHint => "导入只会补充本机没有的记录，不会覆盖或删除本机已有的内容；文件中未同步的修改会在本机联网后同步。", "Importing only adds records this phone lacks; nothing here is overwritten or deleted. The file's unsynced changes sync from this phone.";
        ImportReading => "正在读取文件…", "Reading the file…";
        ImportConfirm => "确认导入", "Import";
        ImportCancel => "取消", "Cancel";
        ImportSummaryFrom => "文件导出人", "Exported by";
        ImportSummaryAt => "导出时间", "Exported at";
        ImportSummaryRecords => "记录数", "Records";
        ImportSummaryPending => "未同步修改", "Unsynced changes";
        ImportDone => "导入完成", "Import finished";
        ImportAdded => "新增记录", "Records added";
        ImportKept => "本机已有、保持不变", "Already here, kept as is";
        ImportQueued => "待同步修改", "Changes queued to sync";
        ImportOtherServer => "该文件来自另一套服务器数据，只导入了记录和未同步的修改。", "The file comes from another server's data: only records and unsynced changes were imported.";
        ImportNotJson => "这不是网格通导出的文件（无法读取为 JSON），请选择导出时保存的“wangge-用户名-日期.json”文件。", "This is not a Wangge export (not readable as JSON). Choose the “wangge-{user}-{date}.json” file the export saved.";
        ImportNotExport => "这个文件不是网格通导出的数据文件，请选择在“设置 → 导出本机数据”中保存的文件。", "This file is not a Wangge data export. Choose a file saved with Settings → Export.";
        ImportTooNew => "这个文件来自更新版本的网格通，请先更新本机应用再导入。", "This file comes from a newer version of Wangge. Update the app on this phone first.";
        ImportBadRecord => "文件内容已损坏或被修改，未导入任何内容", "The file is damaged or was edited; nothing was imported";
        ImportOtherUser => "这个文件是其他账号导出的，只能在该账号登录的手机上导入。导出人：", "This file was exported by another account and can only be imported on a phone where that account is logged in. Exported by: ";
        AccountTitle => "账号", "Account";
        AdminLink => "管理后台", "Administration";
        LoggedInAs => "当前登录", "Logged in as";
        LogOut => "退出登录", "Log out";
        LoggingOut => "正在退出…", "Logging out…";
        LogoutPendingBefore => "还有", "There are still";
        LogoutPendingAfter => "条修改未同步。退出会清空本机数据，请先联网同步。", "unsynced changes. Logging out empties this phone, so sync first.";
        LogoutForce => "仍然退出（放弃未同步的修改）", "Log out anyway (discard unsynced changes)";
        LogoutForceConfirm => "确定放弃未同步的修改并退出吗？这些修改将永久丢失，建议先导出本机数据。", "Discard the unsynced changes and log out? They will be lost for good; export this phone's data first if unsure.";
        LogoutFailed => "退出失败：", "Logout failed: ";
        UpdateTitle => "应用更新", "App updates";
        UpdateReady => "有新版本，点击更新", "A new version is ready: tap to update";
        UpdateApplying => "正在更新…", "Updating…";
        UpToDate => "已是最新版本", "Up to date";
        CheckUpdate => "检查更新", "Check for updates";
        Checking => "正在检查…", "Checking…";
        UpdateUnsupported => "此浏览器不支持离线更新", "This browser does not support offline updates";
    }
}
