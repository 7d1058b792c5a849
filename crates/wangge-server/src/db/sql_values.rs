//! What goes into a statement and what comes out of a row, the same on both engines
//! (`sql.rs`): a parameter is a [`Value`] (integer, real, text, bytes or null) that each
//! driver encodes its own way, and a row is read into [`Cell`]s that the storage code
//! turns into Rust types with [`Row::get`]. The PostgreSQL schema keeps SQLite's
//! storage classes (every integer a BIGINT, booleans included; text; bytes), so one set
//! of conversions serves both.

use std::error::Error;

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type};

use super::DbError;

/// One statement parameter. Text and bytes are borrowed: a statement's parameters live
/// only as long as the call that binds them.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A Rust value that can be bound as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                // Versions, counts and millisecond times all fit an i64 by far.
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_value!(i64, i32, u32, u64, usize, u8);

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue + ?Sized> ToValue for Box<T> {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl ToSql for Value<'_> {
    /// Encodes for the type PostgreSQL inferred for the placeholder: an integer into a
    /// column's BIGINT, or into an INTEGER where PostgreSQL typed an expression so.
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match *self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => f.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A parameter that owns its text or bytes: a write queued to go out with a later
/// statement (`pg_pipeline.rs`) outlives the call that bound it.
#[derive(Debug, Clone)]
pub(super) enum OwnedValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<&Value<'_>> for OwnedValue {
    fn from(v: &Value<'_>) -> OwnedValue {
        match *v {
            Value::Null => OwnedValue::Null,
            Value::Int(i) => OwnedValue::Int(i),
            Value::Real(f) => OwnedValue::Real(f),
            Value::Text(s) => OwnedValue::Text(s.to_owned()),
            Value::Blob(b) => OwnedValue::Blob(b.to_vec()),
        }
    }
}

impl OwnedValue {
    fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Null => Value::Null,
            OwnedValue::Int(i) => Value::Int(*i),
            OwnedValue::Real(f) => Value::Real(*f),
            OwnedValue::Text(s) => Value::Text(s),
            OwnedValue::Blob(b) => Value::Blob(b),
        }
    }
}

impl ToSql for OwnedValue {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        self.as_value().to_sql(ty, out)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// One column of a row as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    /// The cell as a parameter (a copy between databases binds what it read).
    pub fn as_value(&self) -> Value<'_> {
        match self {
            Cell::Null => Value::Null,
            Cell::Int(n) => Value::Int(*n),
            Cell::Real(f) => Value::Real(*f),
            Cell::Text(s) => Value::Text(s),
            Cell::Blob(b) => Value::Blob(b),
        }
    }
}

/// One row, read out of the driver.
pub struct Row {
    cells: Vec<Cell>,
}

impl Row {
    pub(super) fn from_sqlite(row: &rusqlite::Row<'_>, width: usize) -> Result<Row, DbError> {
        use rusqlite::types::ValueRef;
        let cells = (0..width)
            .map(|i| {
                Ok(match row.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Real(f) => Cell::Real(f),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
                })
            })
            .collect::<Result<_, DbError>>()?;
        Ok(Row { cells })
    }

    pub(super) fn from_postgres(row: &tokio_postgres::Row) -> Result<Row, DbError> {
        let cells = row
            .columns()
            .iter()
            .enumerate()
            .map(|(i, col)| pg_cell(row, i, col.type_()))
            .collect::<Result<_, DbError>>()?;
        Ok(Row { cells })
    }

    /// Column `i` as a `T`.
    pub fn get<T: FromCell>(&self, i: usize) -> Result<T, DbError> {
        let cell = self.cells.get(i).ok_or_else(|| DbError::Corrupt(format!("no column {i}")))?;
        T::from_cell(cell).ok_or_else(|| DbError::Corrupt(format!("column {i} holds {cell:?}, not {}", T::WHAT)))
    }

    /// Every column as read, in order (the migration copies and checksums whole rows).
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
}

fn pg_cell(row: &tokio_postgres::Row, i: usize, ty: &Type) -> Result<Cell, DbError> {
    let cell = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|n| Cell::Int(n.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|n| Cell::Int(n.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(|b| Cell::Int(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map(|f| Cell::Real(f.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Cell::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row.try_get::<_, Option<String>>(i)?.map(Cell::Text),
        _ => return Err(DbError::Corrupt(format!("column {i} has a type the storage does not read: {ty}"))),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

/// A Rust type a cell converts into.
pub trait FromCell: Sized {
    /// Said in the error when a cell does not convert.
    const WHAT: &'static str;
    fn from_cell(cell: &Cell) -> Option<Self>;
}

macro_rules! int_cell {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            const WHAT: &'static str = stringify!($t);
            fn from_cell(cell: &Cell) -> Option<Self> {
                match cell {
                    Cell::Int(n) => <$t>::try_from(*n).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_cell!(i64, i32, u32, u64, usize, u8);

impl FromCell for bool {
    const WHAT: &'static str = "bool";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Int(n) => Some(*n != 0),
            _ => None,
        }
    }
}

impl FromCell for f64 {
    const WHAT: &'static str = "f64";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Real(f) => Some(*f),
            Cell::Int(n) => Some(*n as f64),
            _ => None,
        }
    }
}

impl FromCell for String {
    const WHAT: &'static str = "text";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl FromCell for Vec<u8> {
    const WHAT: &'static str = "bytes";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Blob(b) => Some(b.clone()),
            _ => None,
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    const WHAT: &'static str = T::WHAT;
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::from_cell(other).map(Some),
        }
    }
}
