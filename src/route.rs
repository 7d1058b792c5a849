//! Routes in the URL, so navigation survives a reload and the back button works. A tiny
//! router of our own: the app has a dozen screens and every byte reaches the phone over a
//! slow link. A screen's own filters (e.g. the issue list's) live in the query string,
//! which each screen reads and writes itself with [`query_param`] / [`replace_query`].

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Today,
    Issues,
    NewIssue,
    /// One issue, by id.
    Issue(String),
    Visits,
    /// Record a visit, optionally to a given household (id).
    NewVisit(Option<String>),
    Roster,
    /// One household, by id.
    Household(String),
    /// Entering a new household (新增住户).
    NewHousehold,
    Dashboard,
    /// The printable monthly issue list for the joint meeting (问题清单).
    MeetingList,
    /// Sync conflicts and refused changes to settle.
    Conflicts,
    Settings,
    /// The lists as a spreadsheet (导出表格); the kind and filters live in the query string.
    Export,
    NotFound,
    /// Joint meetings and on-site office sessions (会议记录).
    Meetings,
    /// Opening a meeting.
    NewMeeting,
    /// One meeting, by id: attendance, agenda, decisions.
    Meeting(String),
    /// A meeting's printable minutes (纪要).
    Minutes(String),
    /// The three lists (三张清单); the kind and filters live in the query string.
    Lists,
    /// Adding a list entry (`?kind=…`, or `?issue=…` for a need raised from an issue).
    NewListEntry,
    /// One list entry, by id: a need's match, claim and fulfilment.
    ListEntry(String),
    /// Editing a list entry's own fields.
    EditListEntry(String),
    /// Mediation cases (调解案件) of the user's scope.
    Mediations,
    /// A new case; `?issue=` opens it from a 矛盾纠纷 issue.
    NewCase,
    /// One case, by id: parties, sessions, terms, outcome.
    Case(String),
    /// A case's printable agreement (人民调解协议书).
    Agreement(String),
    /// Tasks sent down the grid (任务下发): the sendings on the phone.
    Tasks,
    /// Emergency mode (平急转换): the one on at the user's node, the roster, the board,
    /// the switch and the history.
    Emergency,
    /// Sending a task (staff).
    NewTask,
    /// One task record, by id: its targets and the tick form.
    Task(String),
    /// A sending's progress board, by its batch id.
    TaskBoard(String),
    /// The month's assessment (考核) of the user's grid or subtree; `?month=YYYY-MM`.
    Assess,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let path = path.trim_end_matches('/');
        let mut parts = path.split('/').skip(1);
        match (parts.next().unwrap_or(""), parts.next(), parts.next()) {
            ("" | "today", None, _) => Route::Today,
            ("issues", None, _) => Route::Issues,
            ("issues", Some("new"), None) => Route::NewIssue,
            ("issues", Some(id), None) if valid_id(id) => Route::Issue(id.to_string()),
            ("visits", None, _) => Route::Visits,
            ("visits", Some("new"), None) => Route::NewVisit(None),
            ("visits", Some("new"), Some(h)) if valid_id(h) => Route::NewVisit(Some(h.to_string())),
            ("roster", None, _) => Route::Roster,
            ("households", Some("new"), None) => Route::NewHousehold,
            ("households", Some(id), None) if valid_id(id) => Route::Household(id.to_string()),
            ("dashboard", None, _) => Route::Dashboard,
            ("dashboard", Some("meeting"), None) => Route::MeetingList,
            ("conflicts", None, _) => Route::Conflicts,
            ("settings", None, _) => Route::Settings,
            ("export", None, _) => Route::Export,
            ("meetings", None, _) => Route::Meetings,
            ("meetings", Some("new"), None) => Route::NewMeeting,
            ("meetings", Some(id), None) if valid_id(id) => Route::Meeting(id.to_string()),
            ("meetings", Some(id), Some("minutes")) if valid_id(id) => Route::Minutes(id.to_string()),
            ("lists", None, _) => Route::Lists,
            ("lists", Some("new"), None) => Route::NewListEntry,
            ("lists", Some(id), None) if valid_id(id) => Route::ListEntry(id.to_string()),
            ("lists", Some(id), Some("edit")) if valid_id(id) => Route::EditListEntry(id.to_string()),
            ("mediation", None, _) => Route::Mediations,
            ("mediation", Some("new"), None) => Route::NewCase,
            ("mediation", Some(id), None) if valid_id(id) => Route::Case(id.to_string()),
            ("mediation", Some(id), Some("agreement")) if valid_id(id) => Route::Agreement(id.to_string()),
            ("tasks", None, _) => Route::Tasks,
            ("emergency", None, _) => Route::Emergency,
            ("tasks", Some("new"), None) => Route::NewTask,
            ("tasks", Some(id), None) if valid_id(id) => Route::Task(id.to_string()),
            ("tasks", Some(id), Some("board")) if valid_id(id) => Route::TaskBoard(id.to_string()),
            ("assess", None, _) => Route::Assess,
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> String {
        match self {
            Route::Today | Route::NotFound => "/".into(),
            Route::Issues => "/issues".into(),
            Route::NewIssue => "/issues/new".into(),
            Route::Issue(id) => format!("/issues/{id}"),
            Route::Visits => "/visits".into(),
            Route::NewVisit(None) => "/visits/new".into(),
            Route::NewVisit(Some(h)) => format!("/visits/new/{h}"),
            Route::Roster => "/roster".into(),
            Route::Household(id) => format!("/households/{id}"),
            Route::NewHousehold => "/households/new".into(),
            Route::Dashboard => "/dashboard".into(),
            Route::MeetingList => "/dashboard/meeting".into(),
            Route::Conflicts => "/conflicts".into(),
            Route::Settings => "/settings".into(),
            Route::Export => "/export".into(),
            Route::Meetings => "/meetings".into(),
            Route::NewMeeting => "/meetings/new".into(),
            Route::Meeting(id) => format!("/meetings/{id}"),
            Route::Minutes(id) => format!("/meetings/{id}/minutes"),
            Route::Lists => "/lists".into(),
            Route::NewListEntry => "/lists/new".into(),
            Route::ListEntry(id) => format!("/lists/{id}"),
            Route::EditListEntry(id) => format!("/lists/{id}/edit"),
            Route::Mediations => "/mediation".into(),
            Route::NewCase => "/mediation/new".into(),
            Route::Case(id) => format!("/mediation/{id}"),
            Route::Agreement(id) => format!("/mediation/{id}/agreement"),
            Route::Tasks => "/tasks".into(),
            Route::Emergency => "/emergency".into(),
            Route::NewTask => "/tasks/new".into(),
            Route::Task(id) => format!("/tasks/{id}"),
            Route::TaskBoard(id) => format!("/tasks/{id}/board"),
            Route::Assess => "/assess".into(),
        }
    }
}

/// Record ids are ULID-like: letters, digits, `-` and `_`. Anything else is not a route.
fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn current_path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".into())
}

/// The current route as a signal, kept in step with the back/forward buttons.
pub fn provide_router() -> RwSignal<Route> {
    let route = RwSignal::new(Route::parse(&current_path()));
    let on_pop = Closure::<dyn Fn()>::new(move || route.set(Route::parse(&current_path())));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_pop.forget();
    provide_context(route);
    route
}

/// The router's signal, provided by the app root.
pub fn use_route() -> RwSignal<Route> {
    use_context::<RwSignal<Route>>().expect("the app root provides the router")
}

/// Goes to `to`, adding a history entry so the back button returns here.
pub fn navigate(route: RwSignal<Route>, to: Route) {
    if route.get_untracked() == to {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
    }
    route.set(to);
}

/// Goes to `to` without a new history entry (after saving a form, so back does not
/// return to the filled-in form).
pub fn redirect(route: RwSignal<Route>, to: Route) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.path()));
    }
    route.set(to);
}

/// A parameter of the current URL's query string, decoded.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Replaces the query string (e.g. a list's filters) without a new history entry, so a
/// reload shows the same filtered list. Empty values are left out.
pub fn replace_query(params: &[(&str, String)]) {
    let Some(w) = web_sys::window() else { return };
    let Ok(search) = web_sys::UrlSearchParams::new() else {
        return;
    };
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        search.append(k, v);
    }
    let query: String = search.to_string().into();
    let path = w.location().pathname().unwrap_or_default();
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn paths_round_trip() {
        let all = [
            Route::Today,
            Route::Issues,
            Route::NewIssue,
            Route::Issue("01JABC".into()),
            Route::Visits,
            Route::NewVisit(None),
            Route::NewVisit(Some("H-1".into())),
            Route::Roster,
            Route::Household("H-1".into()),
            Route::Dashboard,
            Route::MeetingList,
            Route::Conflicts,
            Route::Settings,
            Route::Export,
            Route::Meetings,
            Route::NewMeeting,
            Route::Meeting("M-1".into()),
            Route::Minutes("M-1".into()),
            Route::Lists,
            Route::NewListEntry,
            Route::ListEntry("N-1".into()),
            Route::EditListEntry("N-1".into()),
            Route::Mediations,
            Route::NewCase,
            Route::Case("K-1".into()),
            Route::Agreement("K-1".into()),
            Route::Tasks,
            Route::Emergency,
            Route::NewTask,
            Route::Task("T-1".into()),
            Route::TaskBoard("T-1".into()),
            Route::Assess,
        ];
        for r in all {
            assert_eq!(Route::parse(&r.path()), r);
        }
        assert_eq!(Route::parse("/nowhere"), Route::NotFound);
        assert_eq!(Route::parse("/issues/"), Route::Issues);
        assert_eq!(Route::parse("/issues/a%20b"), Route::NotFound);
        assert_eq!(Route::parse("/issues/x/y"), Route::NotFound);
    }
}
