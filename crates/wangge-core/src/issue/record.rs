//! The issue record: what was reported, where, by whom, and how urgent it is.

use serde::{Deserialize, Serialize};

use crate::{Description, DomainError, GridId, HouseholdId, IssueId, IssueTitle, Location, Millis, PersonId, UnitId};

labelled_enum! {
    /// What the issue is about.
    pub enum Category {
        /// 环境卫生: rubbish, smells, dumps.
        Environment = "environment", "环境卫生", "Environment & sanitation";
        /// 基础设施: roads, pavements, lights, pipes.
        Infrastructure = "infrastructure", "基础设施", "Infrastructure";
        /// 安全隐患: fire, falls, structural danger.
        Safety = "safety", "安全隐患", "Safety hazard";
        /// 民生救助: hardship, aid, care.
        Welfare = "welfare", "民生救助", "Welfare & assistance";
        /// 矛盾纠纷: disputes between people or with employers.
        Dispute = "dispute", "矛盾纠纷", "Dispute";
        /// 物业管理: parking, fire lanes, property services.
        PropertyManagement = "property_management", "物业管理", "Property management";
        /// 房屋产权: title deeds, housing reform.
        Housing = "housing", "房屋产权", "Housing & title";
        /// 园林绿化: trees, branches, green space.
        Greening = "greening", "园林绿化", "Greening";
        /// 应急处置: storms, floods, sudden events.
        Emergency = "emergency", "应急处置", "Emergency";
        /// 企业服务: a local business's problem.
        Enterprise = "enterprise", "企业服务", "Enterprise services";
        /// 其他.
        Other = "other", "其他", "Other";
    }
}

labelled_enum! {
    /// How the issue reached the grid.
    pub enum Source {
        /// 走访: a grid worker's household visit.
        Visit = "visit", "入户走访", "Household visit";
        /// 红色管家: a red steward in the building.
        RedSteward = "red_steward", "红色管家", "Red steward";
        /// 网上网格: the grid's online group.
        OnlineGrid = "online_grid", "网上网格", "Online grid group";
        /// 群众来访: a resident at the door.
        WalkIn = "walk_in", "群众来访", "Walk-in";
        /// 支部清单: a party branch's issue list.
        PartyBranch = "party_branch", "党支部清单", "Party branch list";
        /// 监测预警: a monitoring platform's warning.
        Monitoring = "monitoring", "监测预警", "Monitoring warning";
    }
}

labelled_enum! {
    /// How urgent the issue is.
    pub enum Priority {
        /// 低.
        Low = "low", "低", "Low";
        /// 一般.
        Normal = "normal", "一般", "Normal";
        /// 较急.
        High = "high", "较急", "High";
        /// 紧急.
        Urgent = "urgent", "紧急", "Urgent";
    }
}

/// A resident's satisfaction with how an issue was handled, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Satisfaction(u8);

impl Satisfaction {
    /// Accepts 1..=5.
    pub fn parse(value: i64) -> Result<Satisfaction, DomainError> {
        match value {
            1..=5 => Ok(Satisfaction(value as u8)),
            _ => Err(DomainError::SatisfactionOutOfRange { value }),
        }
    }

    /// The score.
    pub fn score(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Satisfaction {
    type Error = DomainError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Satisfaction::parse(value)
    }
}

impl From<Satisfaction> for i64 {
    fn from(value: Satisfaction) -> Self {
        i64::from(value.0)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Satisfaction {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::int_schema(1, 5)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Satisfaction {}

/// An issue as reported. Its lifecycle lives in its event history, not here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Id (a ULID made on the device).
    pub id: IssueId,
    /// Title.
    pub title: IssueTitle,
    /// Description.
    pub description: Description,
    /// Category.
    pub category: Category,
    /// How it reached the grid.
    pub source: Source,
    /// The grid where it happened.
    pub grid: GridId,
    /// The household concerned, if any.
    pub household: Option<HouseholdId>,
    /// The unit concerned, if any.
    pub unit: Option<UnitId>,
    /// Where exactly, if located.
    pub location: Option<Location>,
    /// Who reported it.
    pub reporter: PersonId,
    /// Urgency.
    pub priority: Priority,
    /// A due date promised when reporting; it applies while the issue has not been
    /// escalated, after which each level's default deadline applies (see [`super::Deadlines`]).
    pub due_at: Option<Millis>,
    /// When it was recorded.
    pub created_at: Millis,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_outside_one_to_five_is_rejected() {
        assert_eq!(Satisfaction::parse(0).unwrap_err().code(), "satisfaction_out_of_range");
        assert!(Satisfaction::parse(6).is_err());
        assert_eq!(Satisfaction::parse(5).unwrap().score(), 5);
        assert!(serde_json::from_str::<Satisfaction>("7").is_err());
        assert_eq!(serde_json::to_string(&Satisfaction::parse(3).unwrap()).unwrap(), "3");
    }

    #[test]
    fn every_category_has_both_labels() {
        for c in Category::ALL {
            assert!(!c.label_zh().is_empty() && !c.label_en().is_empty());
            assert_eq!(Category::from_code(c.code()), Some(c));
        }
    }
}
