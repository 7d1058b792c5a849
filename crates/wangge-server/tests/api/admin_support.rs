//! Shared by the administration tests: JSON calls under `/api/v1/admin`, a second town with
//! its own administrator (`town2`, to be refused everywhere in the first town), and reads
//! of the database behind the server, to check that a refused call changed nothing.

use reqwest::Method;
use serde_json::Value;
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

use crate::helpers::TestApp;
use crate::world::{DISTRICT, PASSWORD};

pub(crate) const OTHER_TOWN: &str = "g500110002000000";

impl TestApp {
    /// `METHOD /api/v1/admin{path}` with a JSON body; the status and the JSON answer.
    pub(crate) async fn admin(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let req = self.client.request(method, self.url(&format!("/api/v1/admin{path}"))).bearer_auth(token);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// One value from the server's database (a second connection; WAL lets both read).
    pub(crate) fn sql_count(&self, sql: &str) -> i64 {
        let conn = self.sql();
        conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
    }

    /// A second town under the district, administered by `town2`.
    pub(crate) fn add_other_town(&self) {
        let db = self.db();
        let town = Grid {
            id: GridId::parse(OTHER_TOWN).unwrap(),
            name: GridName::parse("文龙街道").unwrap(),
            level: GridLevel::Town,
            parent: Some(GridId::parse(DISTRICT).unwrap()),
            code: Some(GridCode::parse(&OTHER_TOWN[1..]).unwrap()),
            retired: false,
        };
        db.load_dataset(&Dataset { grids: vec![town], ..Dataset::default() }).unwrap();
        let user = NewUser {
            username: "town2".into(),
            password: PASSWORD.into(),
            person_id: PersonId::parse("p-town2").unwrap(),
            name: "测试town2".into(),
            roles: vec![Role::TownStaff],
            home_grid: GridId::parse(OTHER_TOWN).unwrap(),
        };
        let hash = wangge_server::auth::hash_password(PASSWORD).unwrap();
        assert!(db.add_user(&user, &hash).unwrap());
    }
}

/// The `error.code` of an answer.
pub(crate) fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}
