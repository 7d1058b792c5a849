//! A household's members, each with an identity of its own.
//!
//! Why not one list field: sync merges field by field, and a `members` list would make
//! any two edits of a household's people clash (one worker fixes the son's phone, another
//! records the grandmother's death: both touched "members"). So each member is its own
//! field of the household record, named `member:<id>`, and two workers editing different
//! members both win; only an edit of the same member on both sides is a conflict.
//!
//! A member is never removed: one who moves out or dies keeps their entry with a
//! [`MemberStatus`], so history stays readable and a later visit still finds them.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{BirthYear, Gender, Relation};
use crate::{MemberId, PersonName, Phone};

/// The one list field members were kept in before they had ids; read, never written.
const LEGACY_LIST_FIELD: &str = "members";

/// Prefix of a member's field name in the household record.
pub const MEMBER_FIELD_PREFIX: &str = "member:";

labelled_enum! {
    /// Whether a member still lives in the household.
    pub enum MemberStatus {
        /// 在住.
        Present = "present", "在住", "Lives here";
        /// 已迁出.
        MovedOut = "moved_out", "已迁出", "Moved out";
        /// 已故.
        Deceased = "deceased", "已故", "Deceased";
    }
}

// Written out: the enum comes from `labelled_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for MemberStatus {
    fn default() -> MemberStatus {
        MemberStatus::Present
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
    /// Lives here, moved out or deceased (records made before members had a status are
    /// present).
    #[serde(default)]
    pub status: MemberStatus,
    /// The last four characters of the ID-card number (身份证号), for telling two people
    /// of one name apart. The full number never reaches a phone: the server keeps only a
    /// keyed hash of it, for matching on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_last4: Option<String>,
}

impl Member {
    /// Whether they still live in the household.
    pub fn is_present(&self) -> bool {
        self.status == MemberStatus::Present
    }
}

/// The members of one household by id; (de)serialised as one `member:<id>` field each,
/// flattened into the household record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members(pub BTreeMap<MemberId, Member>);

impl Members {
    /// The field name a member is stored under.
    pub fn field_name(id: &MemberId) -> String {
        format!("{MEMBER_FIELD_PREFIX}{}", id.as_str())
    }

    /// The member id a field name stands for, if it is a member field.
    pub fn id_of_field(field: &str) -> Option<MemberId> {
        field.strip_prefix(MEMBER_FIELD_PREFIX).and_then(|id| MemberId::parse(id).ok())
    }

    /// Members in the order a screen lists them: those living here first, the head
    /// first among them, then by year of birth; ties by id, so the order is stable.
    pub fn in_display_order(&self) -> Vec<(&MemberId, &Member)> {
        let mut list: Vec<_> = self.0.iter().collect();
        let key = |m: &Member| (!m.is_present(), m.relation != Relation::Head, m.birth_year);
        crate::sort::sort_by_key(&mut list, |(id, m)| (key(m), (*id).clone()));
        list
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates members by id.
    pub fn iter(&self) -> impl Iterator<Item = (&MemberId, &Member)> {
        self.0.iter()
    }

    /// The member with `id`.
    pub fn get(&self, id: &MemberId) -> Option<&Member> {
        self.0.get(id)
    }
}

impl FromIterator<(MemberId, Member)> for Members {
    fn from_iter<I: IntoIterator<Item = (MemberId, Member)>>(iter: I) -> Members {
        Members(iter.into_iter().collect())
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (id, member) in &self.0 {
            map.serialize_entry(&Members::field_name(id), member)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Reads the fields left over after the household's own: each must be a member field.
struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "household members as `{MEMBER_FIELD_PREFIX}<id>` fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut members = BTreeMap::new();
        while let Some(field) = map.next_key::<String>()? {
            if field == LEGACY_LIST_FIELD {
                // A record stored before members had ids (a phone's IndexedDB from an
                // older version): numbered as the server's migration numbers them.
                for (i, member) in map.next_value::<Vec<Member>>()?.into_iter().enumerate() {
                    let id = MemberId::parse(format!("m{}", i + 1)).map_err(serde::de::Error::custom)?;
                    add(&mut members, id, member)?;
                }
                continue;
            }
            let Some(id) = Members::id_of_field(&field) else {
                return Err(serde::de::Error::custom(format!("unknown field `{field}`")));
            };
            add(&mut members, id, map.next_value::<Member>()?)?;
        }
        Ok(Members(members))
    }
}

/// Adds one member; a second entry for the same id (an old list beside its new fields) is
/// refused rather than letting one silently replace the other.
fn add<E: serde::de::Error>(members: &mut BTreeMap<MemberId, Member>, id: MemberId, member: Member) -> Result<(), E> {
    match members.entry(id) {
        std::collections::btree_map::Entry::Occupied(e) => {
            Err(E::custom(format!("member `{}` given twice", e.key().as_str())))
        }
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(member);
            Ok(())
        }
    }
}
