//! The downloadable templates. The household one: the header row in Chinese, one example household
//! (a head and a spouse, rows sharing grid and address), and a second sheet saying how to
//! fill it in. Written with rust_xlsxwriter.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use wangge_core::household::{HouseholdTag, Relation};

use super::columns::Field;

/// The example rows, in the template's column order.
const EXAMPLE: [[&str; 9]; 2] = [
    [
        "500110001001001",
        "古南街道綦齿社区二村3栋2单元501",
        "王建国",
        "户主",
        "男",
        "1956",
        "13812345678",
        "500110195603071238",
        "退休职工",
    ],
    ["500110001001001", "古南街道綦齿社区二村3栋2单元501", "李秀英", "配偶", "女", "1958", "", "", "重病"],
];

/// The template as `.xlsx` bytes.
pub(crate) fn households() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("住户台账")?;
    for (col, field) in Field::ALL.into_iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, field.label(), &bold)?;
        // Text columns: Excel must not turn an ID-card number into 1.10105E+17.
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, if matches!(field, Field::Address) { 34 } else { 14 })?;
    }
    for (row, values) in EXAMPLE.iter().enumerate() {
        for (col, value) in values.iter().enumerate() {
            sheet.write_string(row as u32 + 1, col as u16, *value)?;
        }
    }
    let help = book.add_worksheet();
    help.set_name("填写说明")?;
    help.set_column_width(0, 100)?;
    for (row, line) in instructions().iter().enumerate() {
        help.write_string(row as u32, 0, line)?;
    }
    book.save_to_buffer()
}

fn instructions() -> Vec<String> {
    let relations = Relation::ALL.map(Relation::label_zh).join("、");
    let tags = HouseholdTag::ALL.map(HouseholdTag::label_zh).join("、");
    vec![
        "每行一人;同一户的各行网格编号和地址相同,户主那一行的“与户主关系”填“户主”。".into(),
        "网格编号:网格的编号,或15位全国网格编码。只能导入您所辖网格的住户。".into(),
        format!("与户主关系:{relations}。性别:男 或 女。出生年份:四位数字,例如 1956。"),
        "联系电话:手机号11位,座机写成“区号-号码”,例如 023-12345678;可不填。".into(),
        "身份证号:18位,可不填。系统只保存末四位和一个无法还原的校验值,用于再次导入时认出同一人。".into(),
        format!("标签(可不填,多个用“、”隔开):{tags}。"),
        "再次导入同一文件不会重复添加;文件里没有的人员不会被删除,空着的格子不会清空已有信息。".into(),
        "导入前会先检查全部内容并列出有问题的行(行号与表格一致),确认后才写入。".into(),
    ]
}

/// The people list's template (姓名, 网格编号, 身份(角色), 联系电话): one example person and
/// a sheet of instructions.
pub(crate) fn people() -> Result<Vec<u8>, XlsxError> {
    use super::columns::LedgerField;
    use super::people::{roster_roles, PeopleField};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("人员名册")?;
    let example = ["张明华", "500110001001001", "楼栋长、党员", "13812345678"];
    for (col, (field, value)) in PeopleField::FIELDS.iter().zip(example).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, field.label(), &bold)?;
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, if matches!(field, PeopleField::Roles) { 24 } else { 16 })?;
        sheet.write_string(1, col, value)?;
    }
    let roles = roster_roles().map(|r| r.label_zh()).collect::<Vec<_>>().join("、");
    let lines = [
        "每行一人:社区名册上不登录系统的人员(楼栋长、红色管家、志愿者等)。".to_string(),
        "网格编号:网格的编号,或15位全国网格编码。只能导入您所辖网格的人员。".into(),
        format!("身份(角色):{roles};可填多个,用“、”或“,”隔开。"),
        "网格员、社区书记、镇街和区级干部等工作人员需要登录,请在“账号管理”里建账号,不要写在这里。".into(),
        "联系电话:手机号11位,座机写成“区号-号码”;可不填,但同一网格有同名的人时请填写以区分。".into(),
        "再次导入同一文件不会重复添加;文件里没有的人员不会被删除,已有的身份不会被去掉。".into(),
        "导入前会先检查全部内容并列出有问题的行(行号与表格一致),确认后才写入。".into(),
    ];
    let help = book.add_worksheet();
    help.set_name("填写说明")?;
    help.set_column_width(0, 100)?;
    for (row, line) in lines.iter().enumerate() {
        help.write_string(row as u32, 0, line)?;
    }
    book.save_to_buffer()
}
