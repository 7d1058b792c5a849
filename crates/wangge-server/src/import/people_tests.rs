//! Tests of the people sheet's pure parts: reading roles, refusing staff roles, matching.

use super::*;

#[test]
fn roles_are_read_by_label_code_or_synonym_and_staff_roles_are_refused() {
    let roles = parse_roles("楼栋长、党员,volunteer 单元长").ok().unwrap();
    assert_eq!(roles, [Role::BuildingHead, Role::PartyMember, Role::Volunteer, Role::HouseholdHead].into());
    let staff = parse_roles("志愿者、网格员").err().unwrap();
    assert!(staff.reason.contains("账号管理"), "{}", staff.reason);
    assert!(parse_roles("厨师").err().unwrap().reason.contains("无法识别"));
    assert!(parse_roles("").is_err());
}

#[test]
fn other_headers_ledgers_use_are_found() {
    let headers = ["名字", "所属网格", "身份", "手机号"].map(String::from);
    let (columns, unmapped, missing) =
        super::super::columns::map::<PeopleField>(&headers, &Default::default()).unwrap();
    assert_eq!(unmapped, ["名字"]);
    assert_eq!(missing.len(), 1, "姓名 is named on row 1: {missing:?}");
    assert_eq!(columns.of(PeopleField::Roles), Some(2));
    assert_eq!(columns.of(PeopleField::Phone), Some(3));
    assert_eq!(columns.header(PeopleField::Roles), "身份");
}

fn stored(id: &str, name: &str, phone: Option<&str>, account: bool) -> StoredPerson {
    StoredPerson {
        id: id.into(),
        grid: "g1".into(),
        name: name.into(),
        phone: phone.map(Into::into),
        roles: [Role::Volunteer].into(),
        active: true,
        account,
    }
}

fn row(n: u32, name: &str, phone: Option<&str>, roles: &[Role]) -> PeopleRow {
    PeopleRow {
        row: n,
        grid: GridId::parse("g1").unwrap(),
        name: PersonName::parse(name).unwrap(),
        phone: phone.map(|p| Phone::parse(p).unwrap()),
        roles: roles.iter().copied().collect(),
    }
}

#[test]
fn matching_on_grid_name_and_phone() {
    let store = [
        stored("a", "张三", Some("13800000001"), false),
        stored("b", "张三", Some("13800000002"), false),
        stored("c", "李四", None, false),
        stored("d", "王书记", None, true),
    ];
    let (columns, _, _) = super::super::columns::map::<PeopleField>(
        &["姓名", "网格编号", "身份(角色)", "联系电话"].map(String::from),
        &Default::default(),
    )
    .unwrap();
    let mut n = 0;
    let plan = plan(
        vec![
            row(2, "张三", Some("13800000001"), &[Role::Volunteer]),
            row(3, "张三", None, &[Role::Volunteer]),
            row(4, "李四", Some("13800000004"), &[Role::Mediator]),
            row(5, "王书记", None, &[Role::PartyMember]),
            row(6, "赵六", None, &[Role::Mentor]),
        ],
        &store,
        &columns,
        || {
            n += 1;
            format!("new{n}")
        },
    );
    assert_eq!((plan.added, plan.updated, plan.unchanged), (1, 1, 1));
    assert_eq!(
        plan.refused.iter().map(|r| r.row).collect::<Vec<_>>(),
        [3, 5],
        "two 张三 and no phone; an account holder"
    );
    let li = plan.writes.iter().find(|w| w.id == "c").unwrap();
    assert_eq!(li.fields["phone"], "13800000004");
    let roles: BTreeSet<Role> = serde_json::from_value(li.fields["roles"].clone()).unwrap();
    assert_eq!(roles, [Role::Mediator, Role::Volunteer].into(), "roles are added, never removed");
}
