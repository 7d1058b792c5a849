//! Units in a grid (驻区单位): enterprises, schools, banks, shops, property firms. They
//! report issues, cause some (the auto-repair shop's cars) and pay to fix others.

use serde::{Deserialize, Serialize};

use crate::{Address, GridId, PersonName, Phone, UnitId, UnitName};

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
}
