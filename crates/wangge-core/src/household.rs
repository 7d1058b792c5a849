//! Households (户): who lives where in the grid, and the tags that decide who needs
//! visiting most often.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{Address, Date, DomainError, GridId, HouseholdId, PersonName, Phone};

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
            return Err(DomainError::BirthYearInFuture {
                year,
                current: today.year(),
            });
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

/// One person in a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Name.
    pub name: PersonName,
    /// Gender.
    pub gender: Gender,
    /// Year of birth.
    pub birth_year: BirthYear,
    /// Phone, if they have one.
    pub phone: Option<Phone>,
    /// Relation to the head.
    pub relation: Relation,
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
    /// Members, the head among them (relation [`Relation::Head`]).
    pub members: Vec<Member>,
    /// Tags (a set: sorted, no repeats).
    pub tags: BTreeSet<HouseholdTag>,
}

impl Household {
    /// The head of household: the first member recorded as head.
    pub fn head(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.relation == Relation::Head)
    }

    /// Whether the household carries `tag`.
    pub fn has_tag(&self, tag: HouseholdTag) -> bool {
        self.tags.contains(&tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2024-06-01").unwrap()
    }

    #[test]
    fn a_birth_year_in_the_future_is_rejected() {
        let err = BirthYear::parse(2025, today()).unwrap_err();
        assert_eq!(
            err,
            DomainError::BirthYearInFuture {
                year: 2025,
                current: 2024
            }
        );
        assert_eq!(err.code(), "birth_year_in_future");
    }

    #[test]
    fn a_birth_year_before_1900_is_rejected() {
        assert_eq!(
            BirthYear::parse(1899, today()).unwrap_err().code(),
            "birth_year_too_early"
        );
        assert_eq!(
            BirthYear::parse(1900, today()).unwrap().age_in(today()),
            124
        );
        assert!(BirthYear::parse(2024, today()).is_ok());
    }

    #[test]
    fn the_head_is_the_member_recorded_as_head() {
        let member = |name: &str, relation| Member {
            name: PersonName::parse(name).unwrap(),
            gender: Gender::Female,
            birth_year: BirthYear::parse(1950, today()).unwrap(),
            phone: None,
            relation,
        };
        let h = Household {
            id: HouseholdId::parse("h1").unwrap(),
            grid: GridId::parse("g1").unwrap(),
            address: Address::parse("二村小区3栋2单元501").unwrap(),
            members: vec![
                member("李秀英", Relation::Spouse),
                member("王建国", Relation::Head),
            ],
            tags: [HouseholdTag::RetiredStaff].into_iter().collect(),
        };
        assert_eq!(h.head().unwrap().name.as_str(), "王建国");
        assert!(h.has_tag(HouseholdTag::RetiredStaff));
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.contains("\"retired_staff\""));
        assert_eq!(serde_json::from_str::<Household>(&json).unwrap(), h);
    }
}
