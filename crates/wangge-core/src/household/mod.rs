//! Households (户): who lives where in the grid, and the tags that decide who needs
//! visiting most often.

mod members;

pub use members::{Member, MemberStatus, Members, MEMBER_FIELD_PREFIX};

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{Address, Date, DomainError, GridId, HouseholdId};

labelled_enum! {
    /// Circumstances that put a household on the visit schedule or a support list.
    pub enum HouseholdTag {
        /// 独居老人.
        LivingAloneElderly = "living_alone_elderly", "独居老人", "Elderly living alone";
        /// 残疾.
        Disabled = "disabled", "残疾", "Disability";
        /// 低保.
        LowIncome = "low_income", "低保", "Low-income support";
        /// 重病.
        SeriousIllness = "serious_illness", "重病", "Serious illness";
        /// 留守儿童.
        LeftBehindChild = "left_behind_child", "留守儿童", "Left-behind child";
        /// 退役军人.
        Veteran = "veteran", "退役军人", "Veteran";
        /// 流动人口.
        FloatingPopulation = "floating_population", "流动人口", "Floating population";
        /// 退休职工.
        RetiredStaff = "retired_staff", "退休职工", "Retired staff";
    }
}

labelled_enum! {
    /// Gender as recorded on the household register.
    pub enum Gender {
        /// 男.
        Male = "male", "男", "Male";
        /// 女.
        Female = "female", "女", "Female";
    }
}

labelled_enum! {
    /// A member's relation to the household head.
    pub enum Relation {
        /// 户主.
        Head = "head", "户主", "Head of household";
        /// 配偶.
        Spouse = "spouse", "配偶", "Spouse";
        /// 子女.
        Child = "child", "子女", "Child";
        /// 父母.
        Parent = "parent", "父母", "Parent";
        /// 孙子女.
        Grandchild = "grandchild", "孙子女", "Grandchild";
        /// 兄弟姐妹.
        Sibling = "sibling", "兄弟姐妹", "Sibling";
        /// 其他.
        Other = "other", "其他", "Other";
    }
}

/// A year of birth between 1900 and the current year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BirthYear(i32);

impl BirthYear {
    /// Refuses years after `today`'s year and before 1900.
    ///
    /// Deserialising skips the future check (there is no `today` there); the server and
    /// the app parse new input with this function.
    pub fn parse(year: i32, today: Date) -> Result<BirthYear, DomainError> {
        if year > today.year() {
            return Err(DomainError::BirthYearInFuture { year, current: today.year() });
        }
        if year < 1900 {
            return Err(DomainError::BirthYearTooEarly { year });
        }
        Ok(BirthYear(year))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0
    }

    /// Age reached during `today`'s year.
    pub fn age_in(self, today: Date) -> i32 {
        today.year() - self.0
    }
}

labelled_enum! {
    /// Whether the household still lives at its address. A household is never deleted
    /// once it has history: it is marked moved out, or merged into another.
    pub enum HouseholdStatus {
        /// 在住.
        Present = "present", "在住", "Lives here";
        /// 已迁出.
        MovedOut = "moved_out", "已迁出", "Moved out";
        /// 已合户.
        Merged = "merged", "已合户", "Merged into another";
    }
}

// Written out: the enum comes from `labelled_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for HouseholdStatus {
    fn default() -> HouseholdStatus {
        HouseholdStatus::Present
    }
}

/// A household (户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// Id.
    pub id: HouseholdId,
    /// The grid the home is in (usually a building or a villagers' group).
    pub grid: GridId,
    /// Address within the grid.
    pub address: Address,
    /// Tags (a set: sorted, no repeats).
    pub tags: BTreeSet<HouseholdTag>,
    /// Lives here, moved out or merged (older records: present).
    #[serde(default)]
    pub status: HouseholdStatus,
    /// The household it was merged into, when merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<HouseholdId>,
    /// Members by id, the head among them (relation [`Relation::Head`]); each is its own
    /// `member:<id>` field of the record (see [`Members`]).
    #[serde(flatten)]
    pub members: Members,
}

impl Household {
    /// The head of household: a member living here recorded as head (the one with the
    /// smallest id if several are; a departed head is still shown when no other is).
    pub fn head(&self) -> Option<&Member> {
        let heads = || self.members.iter().map(|(_, m)| m).filter(|m| m.relation == Relation::Head);
        heads().find(|m| m.is_present()).or_else(|| heads().next())
    }

    /// Whether the household carries `tag`.
    pub fn has_tag(&self, tag: HouseholdTag) -> bool {
        self.tags.contains(&tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemberId, PersonName};

    fn today() -> Date {
        Date::parse("2024-06-01").unwrap()
    }

    #[test]
    fn a_birth_year_in_the_future_is_rejected() {
        let err = BirthYear::parse(2025, today()).unwrap_err();
        assert_eq!(err, DomainError::BirthYearInFuture { year: 2025, current: 2024 });
        assert_eq!(err.code(), "birth_year_in_future");
    }

    #[test]
    fn a_birth_year_before_1900_is_rejected() {
        assert_eq!(BirthYear::parse(1899, today()).unwrap_err().code(), "birth_year_too_early");
        assert_eq!(BirthYear::parse(1900, today()).unwrap().age_in(today()), 124);
        assert!(BirthYear::parse(2024, today()).is_ok());
    }

    #[test]
    fn the_head_is_the_member_recorded_as_head() {
        let member = |id: &str, name: &str, relation| {
            let m = Member {
                name: PersonName::parse(name).unwrap(),
                gender: Gender::Female,
                birth_year: BirthYear::parse(1950, today()).unwrap(),
                phone: None,
                relation,
                status: MemberStatus::Present,
                id_last4: None,
            };
            (MemberId::parse(id).unwrap(), m)
        };
        let h = Household {
            id: HouseholdId::parse("h1").unwrap(),
            grid: GridId::parse("g1").unwrap(),
            address: Address::parse("二村小区3栋2单元501").unwrap(),
            members: [member("m1", "李秀英", Relation::Spouse), member("m2", "王建国", Relation::Head)]
                .into_iter()
                .collect(),
            tags: [HouseholdTag::RetiredStaff].into_iter().collect(),
            status: HouseholdStatus::Present,
            merged_into: None,
        };
        assert_eq!(h.head().unwrap().name.as_str(), "王建国");
        assert!(h.has_tag(HouseholdTag::RetiredStaff));
        let json = serde_json::to_value(&h).unwrap();
        assert_eq!(json["member:m2"]["name"], "王建国", "each member is a field of its own");
        assert!(json.get("members").is_none());
        assert_eq!(json["tags"][0], "retired_staff");
        assert_eq!(serde_json::from_value::<Household>(json).unwrap(), h);
    }

    #[test]
    fn a_record_without_the_new_fields_reads_as_living_here() {
        let h: Household = serde_json::from_value(serde_json::json!({
            "id": "h1", "grid": "g1", "address": "二村3栋501", "tags": [],
            "member:a": {"name": "王芳", "gender": "female", "birth_year": 1960,
                         "phone": null, "relation": "head"}
        }))
        .unwrap();
        assert_eq!(h.status, HouseholdStatus::Present);
        assert_eq!(h.head().unwrap().status, MemberStatus::Present);
    }

    #[test]
    fn a_record_from_before_member_ids_reads_with_numbered_members() {
        let h: Household = serde_json::from_value(serde_json::json!({
            "id": "h1", "grid": "g1", "address": "二村3栋501", "tags": [],
            "members": [
                {"name": "王芳", "gender": "female", "birth_year": 1960, "phone": null, "relation": "head"},
                {"name": "王小军", "gender": "male", "birth_year": 1990, "phone": null, "relation": "child"}
            ]
        }))
        .unwrap();
        let json = serde_json::to_value(&h).unwrap();
        assert_eq!(json["member:m2"]["name"], "王小军");
        assert!(json.get("members").is_none(), "written back in the new shape");
    }

    #[test]
    fn an_old_list_beside_a_member_field_of_the_same_id_is_refused_not_overwritten() {
        let err = serde_json::from_value::<Household>(serde_json::json!({
            "id": "h1", "grid": "g1", "address": "二村3栋501", "tags": [],
            "members": [{"name": "王芳", "gender": "female", "birth_year": 1960, "phone": null, "relation": "head"}],
            "member:m1": {"name": "李四", "gender": "male", "birth_year": 1970, "phone": null, "relation": "head"}
        }))
        .unwrap_err();
        assert!(err.to_string().contains("given twice"), "{err}");
    }

    #[test]
    fn a_field_that_is_not_a_member_is_refused() {
        let err = serde_json::from_value::<Household>(serde_json::json!({
            "id": "h1", "grid": "g1", "address": "二村3栋501", "tags": [], "colour": "red"
        }))
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn a_departed_head_gives_way_to_one_living_here() {
        let mut h: Household = serde_json::from_value(serde_json::json!({
            "id": "h1", "grid": "g1", "address": "二村3栋501", "tags": [],
            "member:a": {"name": "王老汉", "gender": "male", "birth_year": 1930,
                         "phone": null, "relation": "head", "status": "deceased"},
            "member:b": {"name": "王芳", "gender": "female", "birth_year": 1960,
                         "phone": null, "relation": "head"}
        }))
        .unwrap();
        assert_eq!(h.head().unwrap().name.as_str(), "王芳");
        let order: Vec<_> = h.members.in_display_order().iter().map(|(id, _)| id.as_str().to_string()).collect();
        assert_eq!(order, ["b", "a"], "those living here first");
        h.members.0.remove(&MemberId::parse("b").unwrap());
        assert_eq!(h.head().unwrap().name.as_str(), "王老汉");
    }
}
