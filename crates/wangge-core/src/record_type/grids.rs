//! Grids (网格): the tree of areas. Written through administration only (never by a push),
//! so no phone screen edits a grid field; each is labelled all the same, for a conflict a
//! restore could park.

use super::{coded, field, roundtrip, text, text_of, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::grid::{Grid, GridCode, GridLevel};
use crate::sync::Collection;
use crate::{GridId, GridName};

#[rustfmt::skip] // a table: one line per field
pub(super) static GRIDS: RecordType = RecordType {
    collection: Collection::Grids,
    noun: Label { zh: "网格", en: "grid" },
    scope: ScopeRule::OwnId,
    author: None,
    fields: &[
        field!("id", "编号", "Id", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("name", "网格名称", "Grid name", text!(GridName, Some(GridName::MAX_CHARS)), false, Shown::AsIs),
        field!("level", "层级", "Level", None, false, coded!(GridLevel)),
        field!("parent", "上级网格", "Parent grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("code", "网格编码", "Grid code", text!(GridCode, Some(15)), false, Shown::AsIs),
        field!("retired", "已撤销", "Retired", None, false, Shown::AsIs),
    ],
    references: &[],
    merge: Merge::Fields,
    unknown_code: "unknown_grid",
    canonical: roundtrip::<Grid>,
    name_of: |f| text_of(f, "name"),
};
