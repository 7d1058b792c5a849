//! The joint committee in the demo, following the seeds: district departments (区城管局,
//! 区住建委, 区民政局) as units at the district's grid, each with a contact account; 綦齿
//! 社区's committee (first secretary, police officer, the heads of the school and the
//! property firm); last month's joint meetings of 綦齿 and 新街子 deciding the issues on
//! their lists; and an on-site office a district leader held in 二村 eight days ago.
//!
//! Every decision becomes the issue's events through the core's own `plan_decision`
//! (each naming its meeting), and what the unit does after — reply, complete — and the
//! community's check are checked by `role_allows` and the state machine like any step,
//! so the demo never shows a history the app would refuse. The pavement case is handed
//! to 区城管局 at the meeting and closed at the community rung: the committee brings the
//! district's resources down, the issue never goes up ("矛盾不上交").

use std::collections::HashMap;

use super::places::grid_id;
use super::world::World;
use super::DEMO_UNIT_CONTACT;
use wangge_core::grid::GridLevel;
use wangge_core::issue::{role_allows, Actor, EventKind, Issue, IssueEvent, IssueState, Satisfaction};
use wangge_core::meeting::{
    plan_decision, AgendaItem, Attendance, Decision, Entries, ItemSource, Meeting, MeetingKind, Outcome,
};
use wangge_core::people::Role;
use wangge_core::unit::{Unit, UnitKind};
use wangge_core::{
    Address, CommentText, GridId, MeetingId, Millis, PersonId, Summary, UnitId, UnitName, DAY_MILLIS, HOUR_MILLIS,
};

const DISTRICT: &str = "500110000000000";
const QICHI: &str = "500110001001000";
const XINJIEZI: &str = "500110002001000";
/// 区城管局's index in [`DEPARTMENTS`]: the demo contact account answers for it.
const CHENGGUAN: usize = 0;
const DEPARTMENTS: [&str; 3] = ["綦江区城市管理局", "綦江区住房和城乡建设委员会", "綦江区民政局"];
const PROPERTY_FIRM: &str = "二村小区物业服务中心";

/// The units issues are handed to, by short name, and who answers for each.
pub(super) struct Handees {
    ids: HashMap<&'static str, UnitId>,
    contacts: HashMap<UnitId, PersonId>,
}

/// Adds the departments, 綦齿's school, and contact people to the units that answer.
pub(super) fn units(world: &mut World, units: &mut Vec<Unit>) -> Handees {
    let district = grid_id(DISTRICT);
    let mut handees = Handees { ids: HashMap::new(), contacts: HashMap::new() };
    for (n, (name, short)) in DEPARTMENTS.iter().zip(["城管", "住建", "民政"]).enumerate() {
        let fixed = (n == CHENGGUAN).then_some(DEMO_UNIT_CONTACT.person_id);
        let contact = world.add_person(fixed, &district, &[Role::UnitContact]);
        let address = Address::parse("綦江区文龙街道九龙大道行政中心").expect("short");
        let unit = unit(world, &district, name, UnitKind::Department, address, contact.clone());
        handees.ids.insert(short, unit.id.clone());
        handees.contacts.insert(unit.id.clone(), contact);
        units.push(unit);
    }
    // The committee's members from local units: the heads of the school and the property
    // firm, each answering for their unit (no account: the community records for them).
    let qichi = grid_id(QICHI);
    let head = world.add_person(None, &qichi, &[Role::CommitteeMember, Role::PartyMember]);
    let address = Address::parse("綦齿社区一村12号").expect("short");
    units.push(unit(world, &qichi, "綦齿小学", UnitKind::School, address, head));
    let head = world.add_person(None, &qichi, &[Role::CommitteeMember, Role::PartyMember]);
    if let Some(firm) = units.iter_mut().find(|u| u.name.as_str() == PROPERTY_FIRM) {
        set_contact(world, firm, head.clone());
        handees.ids.insert("物业", firm.id.clone());
        handees.contacts.insert(firm.id.clone(), head);
    }
    handees
}

fn unit(world: &mut World, grid: &GridId, name: &str, kind: UnitKind, address: Address, contact: PersonId) -> Unit {
    let mut u = Unit {
        id: UnitId::generate(world.now, world.rng.id_bytes()),
        grid: grid.clone(),
        name: UnitName::parse(name).expect("demo unit names are short"),
        kind,
        address,
        contact: None,
        phone: None,
        contact_person: None,
    };
    set_contact(world, &mut u, contact);
    u
}

fn set_contact(world: &World, unit: &mut Unit, person: PersonId) {
    let p = world.people.iter().find(|p| p.id == person).expect("just added");
    unit.contact = Some(p.name.clone());
    unit.phone = p.phone.clone();
    unit.contact_person = Some(person);
}

/// What a meeting decides for one case, and what happens after.
struct Plan {
    title: &'static str,
    outcome: Outcome,
    /// The unit it is handed to (`HandToUnit`), by short name.
    unit: Option<&'static str>,
    /// Days the unit is given.
    due_days: i64,
    note: Option<&'static str>,
    /// The unit's reply, days after the meeting.
    reply: Option<(i64, &'static str)>,
    /// Resolved (by the unit's contact or the community's staff), days after the meeting.
    done: Option<(i64, &'static str)>,
}

const fn plan(title: &'static str, outcome: Outcome) -> Plan {
    Plan { title, outcome, unit: None, due_days: 0, note: None, reply: None, done: None }
}

const fn hand(title: &'static str, unit: &'static str, due_days: i64) -> Plan {
    Plan { unit: Some(unit), due_days, ..plan(title, Outcome::HandToUnit) }
}

const XINJIEZI_PLANS: [Plan; 2] = [
    Plan {
        note: Some("第一书记协调管委会和区城管局争取翻修资金"),
        reply: Some((2, "已到现场查看,正申请路面翻修资金")),
        done: Some((12, "区城市管理局争取到路面翻修资金,人行道已翻修完工")),
        ..hand("元屏大道人行道被汽修厂进出车辆碾烂", "城管", 20)
    },
    Plan {
        reply: Some((3, "已安排执法队员早晚巡查")), ..hand("御景江湾小区门口占道经营,堵塞人行道", "城管", 30)
    },
];

const QICHI_PLANS: [Plan; 5] = [
    Plan {
        reply: Some((1, "已联系疏通公司")),
        done: Some((5, "化粪池已疏通清掏,单元门口已冲洗消毒")),
        ..hand("二村小区3栋化粪池堵塞外溢", "物业", 10)
    },
    Plan {
        reply: Some((3, "材料已收到,正在审核")),
        done: Some((9, "临时救助已审批发放")),
        ..hand("五村困难家庭申请临时救助", "民政", 7)
    },
    Plan {
        note: Some("由社区出面协调广场舞队调整时间和音量"),
        done: Some((6, "与广场舞队约定晚9点前结束、音量调低,住户认可")),
        ..plan("四村广场舞音响声音过大扰民", Outcome::Community)
    },
    Plan {
        note: Some("围墙产权属原企业留守处,需街道协调处置"),
        ..plan("六村原厂区围墙倾斜,存在倒塌隐患", Outcome::Escalate)
    },
    Plan {
        note: Some("各楼层住户意见不一,先征求意见,下次再议"), ..plan("七村老楼居民希望加装电梯", Outcome::Hold)
    },
];

const ONSITE_PLANS: [Plan; 2] = [
    Plan {
        reply: Some((1, "已安排技术人员现场勘查")),
        done: Some((4, "脱落瓷砖已清除,外墙已加固修补")),
        ..hand("二村小区2栋外墙瓷砖脱落", "住建", 15)
    },
    Plan {
        note: Some("区领导现场协调,利用闲置空地增设停车位"),
        ..plan("二村小区车位不足,车辆占用消防通道", Outcome::Community)
    },
];

/// The meetings, with each decided issue's further events added to `events`.
pub(super) fn meetings(
    world: &mut World,
    handees: &Handees,
    issues: &[Issue],
    events: &mut Vec<IssueEvent>,
) -> Vec<Meeting> {
    let last_month = world.today.first_of_month().add_days(-1).first_of_month();
    let at = |day: i64, hour: i64| last_month.add_days(day - 1).start_millis() + hour * HOUR_MILLIS;
    let mut out = Vec::new();
    let xinjiezi = joint(world, XINJIEZI, at(10, 15), "新街子社区党群服务中心会议室");
    out.push(decide(world, xinjiezi, &XINJIEZI_PLANS, handees, issues, events));
    let qichi = joint(world, QICHI, at(12, 9), "綦齿社区党群服务中心会议室");
    out.push(decide(world, qichi, &QICHI_PLANS, handees, issues, events));
    let onsite = onsite(world, world.now - 8 * DAY_MILLIS + 3 * HOUR_MILLIS);
    out.push(decide(world, onsite, &ONSITE_PLANS, handees, issues, events));
    out
}

fn new_meeting(world: &mut World, kind: MeetingKind, grid: GridId, held_at: Millis, place: &str) -> Meeting {
    let recorder = world.secretary(&grid).0;
    Meeting {
        id: MeetingId::generate(held_at, world.rng.id_bytes()),
        kind,
        grid,
        held_at,
        place: Address::parse(place).expect("short"),
        host: None,
        recorder,
        guests: None,
        notes: None,
        closed: true,
        entries: Entries::default(),
    }
}

/// A community's joint meeting, chaired by its first secretary, with its committee.
fn joint(world: &mut World, community: &str, held_at: Millis, place: &str) -> Meeting {
    let grid = grid_id(community);
    let mut m = new_meeting(world, MeetingKind::JointMeeting, grid.clone(), held_at, place);
    m.host = world.staff.first_secretaries.get(&grid).cloned();
    let committee = [Role::FirstSecretary, Role::CommunitySecretary, Role::CommitteeMember, Role::CommunityPolice];
    let members: Vec<PersonId> = world
        .people
        .iter()
        .filter(|p| p.grid == grid && p.roles.iter().any(|r| committee.contains(r)))
        .map(|p| p.id.clone())
        .collect();
    // One member sends apologies: the minutes show who was not there.
    for (n, p) in members.into_iter().enumerate() {
        let attendance = if n == 3 { Attendance::Excused } else { Attendance::Present };
        m.entries.attendees.insert(p, attendance);
    }
    m.guests = CommentText::parse("古南街道、通惠街道联系干部列席").ok();
    m
}

/// A district leader's on-site office (楼栋工作日) in 二村 with the community's secretary.
fn onsite(world: &mut World, held_at: Millis) -> Meeting {
    let grid = grid_id("500110001001002");
    let mut m = new_meeting(world, MeetingKind::OnSiteOffice, grid, held_at, "二村小区2栋楼下");
    let leader = world.staff.district_staff[&grid_id(DISTRICT)][0].clone();
    m.entries.attendees.insert(leader.clone(), Attendance::Present);
    m.entries.attendees.insert(m.recorder.clone(), Attendance::Present);
    m.host = Some(leader);
    m.guests = CommentText::parse("区住建委、二村小区物业服务中心").ok();
    m
}

fn decide(
    world: &mut World,
    mut m: Meeting,
    plans: &[Plan],
    handees: &Handees,
    issues: &[Issue],
    events: &mut Vec<IssueEvent>,
) -> Meeting {
    for (position, p) in plans.iter().enumerate() {
        // A small demo may not hold every case.
        let Some(issue) = issues.iter().find(|i| i.title.as_str() == p.title) else { continue };
        let at = m.held_at + (position as Millis + 1) * 10 * 60_000;
        let unit = p.unit.map(|u| handees.ids[u].clone());
        let decision = Decision {
            outcome: p.outcome,
            person: None,
            unit: unit.clone(),
            due: unit.as_ref().map(|_| at + p.due_days * DAY_MILLIS),
            note: p.note.map(|n| CommentText::parse(n).expect("short")),
            by: m.recorder.clone(),
            at,
        };
        let mut life = Life::of(issue, events);
        let recorder = world.actor(&m.recorder, &[]);
        let planned = plan_decision(&recorder, issue, &life.state, &decision, &m.id, at, || world.rng.id_bytes())
            .unwrap_or_else(|e| panic!("demo decision refused: {} ({})", e.message_en(), p.title));
        for e in &planned {
            life.apply(e);
        }
        events.extend(planned);
        let item = AgendaItem {
            position: position as u32,
            source: ItemSource::IssueList,
            decision: Some(decision),
            removed: false,
            photos: Vec::new(),
        };
        m.entries.items.insert(issue.id.clone(), item);
        let contact = unit.map(|u| world.actor(&handees.contacts[&u], std::slice::from_ref(&u)));
        let after = life.after(world, p, contact, at);
        events.extend(after);
    }
    m
}

/// One issue's state while the demo goes on with it.
struct Life<'a> {
    issue: &'a Issue,
    state: IssueState,
}

impl<'a> Life<'a> {
    fn of(issue: &'a Issue, events: &[IssueEvent]) -> Life<'a> {
        let mine: Vec<&IssueEvent> = events.iter().filter(|e| e.issue == issue.id).collect();
        let state = IssueState::fold(mine).expect("demo histories are valid");
        Life { issue, state }
    }

    fn apply(&mut self, e: &IssueEvent) {
        self.state.apply(e).unwrap_or_else(|err| panic!("demo step refused: {err} ({e:?})"));
    }

    /// Pushes a step after checking the actor may take it, as the app would.
    fn step(&mut self, world: &mut World, actor: &Actor, at: Millis, kind: EventKind) -> IssueEvent {
        let action = kind.action();
        assert!(role_allows(action, actor, self.issue, &self.state), "demo step not allowed: {action:?}");
        let e =
            IssueEvent::new(self.issue.id.clone(), at, actor.person.clone(), actor.role, kind, world.rng.id_bytes());
        self.apply(&e);
        e
    }

    /// What follows the decision: the unit's reply and completion (or the community's
    /// staff doing it), the community's check and the resident's rating.
    fn after(&mut self, world: &mut World, p: &Plan, contact: Option<Actor>, at: Millis) -> Vec<IssueEvent> {
        // The plans keep every step in the past; the cap is a guard, not a schedule.
        let now = world.now;
        let when = |days: i64| (at + days * DAY_MILLIS + 2 * HOUR_MILLIS).min(now - HOUR_MILLIS);
        let mut out = Vec::new();
        if let (Some((days, text)), Some(c)) = (p.reply, &contact) {
            let kind = EventKind::HandoffReplied { text: CommentText::parse(text).expect("short") };
            out.push(self.step(world, c, when(days), kind));
        }
        let community = world.up(&self.issue.grid, GridLevel::Community);
        let secretary = world.secretary(&community).0;
        let secretary = world.actor(&secretary, &[]);
        let Some((days, summary)) = p.done else { return out };
        let doer = match contact {
            Some(c) => c,
            None => {
                let staff = world.staff.community_staff[&community].clone();
                let kind = EventKind::Assigned { assignee: staff.clone() };
                out.push(self.step(world, &secretary, when(days - 1), kind));
                world.actor(&staff, &[])
            }
        };
        let kind = EventKind::Resolved { summary: Summary::parse(summary).expect("short") };
        out.push(self.step(world, &doer, when(days), kind));
        out.push(self.step(world, &secretary, when(days + 1), EventKind::Verified { note: None }));
        // The secretary records the resident's rating on the return call.
        let kind = EventKind::Rated { score: Satisfaction::parse(5).expect("1..=5"), comment: None };
        out.push(self.step(world, &secretary, when(days + 2), kind));
        out
    }
}

impl World {
    /// `person` as the rules see them, acting in their first role that handles a rung.
    fn actor(&self, person: &PersonId, units: &[UnitId]) -> Actor {
        let roles: Vec<Role> =
            self.people.iter().find(|p| &p.id == person).map_or(Vec::new(), |p| p.roles.iter().copied().collect());
        let role =
            roles.iter().find(|r| r.handles_at().is_some()).or(roles.first()).copied().unwrap_or(Role::UnitContact);
        Actor::new(person.clone(), &roles, role).with_units(units.to_vec())
    }
}
