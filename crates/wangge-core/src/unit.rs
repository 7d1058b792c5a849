//! Units in a grid (驻区单位): enterprises, schools, banks, shops, property firms. They
//! report issues, cause some (the auto-repair shop's cars) and pay to fix others. District
//! departments (区级部门) are units too, kept at the district's grid: an issue is handed to
//! either the same way.

use serde::{Deserialize, Serialize};

use crate::{Address, GridId, PersonId, PersonName, Phone, UnitId, UnitName};

labelled_enum! {
    /// What kind of unit.
    pub enum UnitKind {
        /// 企业.
        Enterprise = "enterprise", "企业", "Enterprise";
        /// 学校.
        School = "school", "学校", "School";
        /// 银行.
        Bank = "bank", "银行", "Bank";
        /// 商铺.
        Shop = "shop", "商铺", "Shop";
        /// 物业公司.
        PropertyFirm = "property_firm", "物业公司", "Property management firm";
        /// 区级部门 (城管、住建、民政 …): a district department, handed issues like a unit.
        Department = "department", "区级部门", "District department";
        /// 其他.
        Other = "other", "其他", "Other";
    }
}

/// A unit located in a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Id.
    pub id: UnitId,
    /// The grid it is located in.
    pub grid: GridId,
    /// Name.
    pub name: UnitName,
    /// Kind.
    pub kind: UnitKind,
    /// Address.
    pub address: Address,
    /// Contact person, if known.
    pub contact: Option<PersonName>,
    /// Contact phone, if known.
    pub phone: Option<Phone>,
    /// The account that answers for the unit on issues handed to it (交办): it sees those
    /// issues on its phone and replies, completes or refuses them. None: issues can still
    /// be handed, and the community records the unit's answer itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<PersonId>,
}
