//! Strings of the Settings: export/import, log out, update prompt.

messages! {
    SettingsMsg {
        ExportData => "导出本机数据", "Export this phone's data";
    }
}
