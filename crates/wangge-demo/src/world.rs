//! The generator's working state: the tree, the roster as it grows, and who handles what
//! where, so every generated event has a plausible actor.

use std::collections::HashMap;

use super::{names, SplitMix64};
use wangge_core::grid::{EscalationLevel, GridLevel, GridTree};
use wangge_core::people::{Person, Role};
use wangge_core::{Date, GridId, Millis, PersonId, Phone};

/// Someone acting in a role.
pub(super) type Actor = (PersonId, Role);

/// Who handles an issue at one rung: takes it on, does the work, checks the result.
/// The verifier is never the assignee, as the state machine requires.
pub(super) struct Crew {
    pub(super) handler: Actor,
    pub(super) assignee: Actor,
    pub(super) verifier: Actor,
}

/// Post holders by grid.
#[derive(Default)]
pub(super) struct Staff {
    pub(super) workers: HashMap<GridId, PersonId>,
    pub(super) secretaries: HashMap<GridId, PersonId>,
    pub(super) community_staff: HashMap<GridId, PersonId>,
    pub(super) first_secretaries: HashMap<GridId, PersonId>,
    pub(super) red_stewards: HashMap<GridId, Vec<PersonId>>,
    pub(super) town_staff: HashMap<GridId, [PersonId; 2]>,
    pub(super) district_staff: HashMap<GridId, [PersonId; 2]>,
    pub(super) mediators: HashMap<GridId, PersonId>,
}

pub(super) struct World {
    pub(super) rng: SplitMix64,
    pub(super) now: Millis,
    pub(super) today: Date,
    pub(super) tree: GridTree,
    pub(super) homes: Vec<GridId>,
    pub(super) people: Vec<Person>,
    pub(super) staff: Staff,
}

impl World {
    /// A random mobile number (made up; any resemblance to a real one is chance).
    pub(super) fn phone(&mut self) -> Phone {
        let second = self.rng.pick_copied(&["3", "5", "7", "8", "9"]);
        let rest = self.rng.below(1_000_000_000);
        Phone::parse(&format!("1{second}{rest:09}")).expect("1 + [35789] + 9 digits is a mobile")
    }

    /// Adds a person with a random name; `fixed_id` gives a well-known id instead of a ULID.
    pub(super) fn add_person(&mut self, fixed_id: Option<&str>, grid: &GridId, roles: &[Role]) -> PersonId {
        let id = match fixed_id {
            Some(id) => PersonId::parse(id).expect("demo account ids are valid"),
            None => PersonId::generate(self.now, self.rng.id_bytes()),
        };
        let gender = names::gender(&mut self.rng);
        let person = Person {
            id: id.clone(),
            name: names::name(&mut self.rng, gender),
            phone: Some(self.phone()),
            grid: grid.clone(),
            roles: roles.iter().copied().collect(),
            active: fixed_id.is_some() || !self.rng.chance(20),
        };
        self.people.push(person);
        id
    }

    /// The node of `level` at or above `grid`.
    pub(super) fn up(&self, grid: &GridId, level: GridLevel) -> GridId {
        let g = self.tree.get(grid).expect("demo grids are in the tree");
        std::iter::once(g)
            .chain(self.tree.ancestors(grid))
            .find(|g| g.level == level)
            .map(|g| g.id.clone())
            .expect("every demo grid has a full ladder above it")
    }

    /// The grid worker responsible for `grid` (a community's own staff for a community).
    pub(super) fn worker(&self, grid: &GridId) -> Actor {
        let found = std::iter::once(grid.clone())
            .chain(self.tree.ancestors(grid).iter().map(|g| g.id.clone()))
            .find_map(|g| self.staff.workers.get(&g).cloned());
        match found {
            Some(w) => (w, Role::GridWorker),
            None => (self.staff.community_staff[&self.up(grid, GridLevel::Community)].clone(), Role::CommunityStaff),
        }
    }

    /// The community secretary above `grid`.
    pub(super) fn secretary(&self, grid: &GridId) -> Actor {
        let c = self.up(grid, GridLevel::Community);
        (self.staff.secretaries[&c].clone(), Role::CommunitySecretary)
    }

    /// Who handles an issue in `grid` at `rung`.
    pub(super) fn crew(&self, grid: &GridId, rung: EscalationLevel) -> Crew {
        match rung {
            EscalationLevel::Grid => {
                let w = self.worker(grid);
                Crew { handler: w.clone(), assignee: w, verifier: self.secretary(grid) }
            }
            EscalationLevel::Community => {
                let c = self.up(grid, GridLevel::Community);
                let staff = (self.staff.community_staff[&c].clone(), Role::CommunityStaff);
                let sec = self.secretary(grid);
                Crew { handler: sec.clone(), assignee: staff, verifier: sec }
            }
            EscalationLevel::Town => {
                let [a, b] = self.staff.town_staff[&self.up(grid, GridLevel::Town)].clone();
                Crew {
                    handler: (a.clone(), Role::TownStaff),
                    assignee: (b, Role::TownStaff),
                    verifier: (a, Role::TownStaff),
                }
            }
            EscalationLevel::District => {
                let [a, b] = self.staff.district_staff[&self.up(grid, GridLevel::District)].clone();
                let (h, s) = ((a.clone(), Role::DistrictStaff), (b, Role::DistrictStaff));
                Crew { handler: h.clone(), assignee: s, verifier: h }
            }
        }
    }
}
