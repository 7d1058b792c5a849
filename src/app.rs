//! The app root: provides language, router and session; opens the store; shows the login
//! screen until someone has logged in on this phone, then the shell (header, sync line,
//! the current screen, bottom navigation) with the sync loop running.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::{
    bottom_nav::BottomNav, online_badge::OnlineBadge, sync_bar::SyncBar, update_prompt::UpdatePrompt,
};
use crate::context::{provide_app_context, StoreHandle};
use crate::i18n::login::LoginMsg;
use crate::i18n::{tr, use_lang, Lang, Msg};
use crate::pages::conflicts::ConflictsPage;
use crate::pages::dashboard::{DashboardPage, MeetingListPage};
use crate::pages::emergency::EmergencyPage;
use crate::pages::issues::{IssueDetailPage, IssueListPage, NewIssuePage};
use crate::pages::lists::{EditEntryPage, EntryPage, ListsPage, NewEntryPage};
use crate::pages::login::LoginPage;
use crate::pages::mediation::{AgreementPage, CasePage, CasesPage, NewCasePage};
use crate::pages::meetings::{MeetingPage, MeetingsPage, MinutesPage, NewMeetingPage};
use crate::pages::placeholder::NotFound;
use crate::pages::roster::{HouseholdPage, NewHouseholdPage, RosterPage};
use crate::pages::settings::SettingsPage;
use crate::pages::tasks::{BoardPage, SendTaskPage, TaskPage, TasksPage};
use crate::pages::today::TodayPage;
use crate::pages::visits::{NewVisitPage, VisitsPage};
use crate::route::{provide_router, Route};
use crate::session::Session;
use crate::store::{Store, StoreError};
use crate::sync::SyncHandle;

/// Replaces the "loading" placeholder in `index.html` with the app.
pub fn mount() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser page");
    let root = document.get_element_by_id("app").expect("index.html has #app");
    // The loading line goes; index.html's static login form, if the worker is typing in
    // it, stays until the app's own login screen takes it over (early_login.rs).
    if !crate::early_login::present() {
        root.set_inner_html("");
    }
    let _ = root.set_attribute("data-mounted", "");
    let root: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
    leptos::mount::mount_to(root, App).forget();
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::load());
    provide_context(lang);
    // Keep <html lang> true for screen readers and the browser's font choice.
    Effect::new(move || {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().code());
        }
    });
    provide_router();
    let session = RwSignal::new(Session::load());
    provide_context(session);
    // Ask once per phone that the browser never evicts our data (Settings shows the answer).
    crate::store::ask_again_unless_granted();
    // Installing the app is what Chromium most rewards with persistent storage.
    if let Some(w) = web_sys::window() {
        let asked = wasm_bindgen::closure::Closure::<dyn Fn()>::new(crate::store::ask_again_unless_granted);
        let _ = w.add_event_listener_with_callback("appinstalled", asked.as_ref().unchecked_ref());
        asked.forget();
    }
    let store = RwSignal::new(None::<StoreHandle>);
    let store_error = RwSignal::new(None::<StoreError>);
    leptos::task::spawn_local(async move {
        match Store::open().await {
            Ok(s) => {
                // Phones logged in before the store kept its person learn it here (it is
                // whose work they offer back to a restored server).
                if let Some(me) = session.get_untracked() {
                    let _ = s.remember_person(me.user.person_id.as_str()).await;
                }
                store.set(Some(StoreHandle::new(s)))
            }
            Err(e) => store_error.set(Some(e)),
        }
    });
    move || {
        if let Some(e) = store_error.get() {
            crate::early_login::discard();
            return view! {
                <p class="page error" role="alert">{tr(LoginMsg::StoreFailed)} {move || e.message(lang.get())}</p>
            }
            .into_any();
        }
        let Some(store) = store.get() else {
            // The static login form stays on screen meanwhile, rather than a loading line.
            let booting =
                (!crate::early_login::present()).then(|| view! { <p class="booting">{tr(LoginMsg::Loading)}</p> });
            return booting.into_any();
        };
        // Only a change between "nobody" and "someone" rebuilds the shell; an expired
        // token or a re-login keeps it (and the sync loop) in place.
        let logged_in = Memo::new(move |_| session.with(Option::is_some));
        view! {
            {move || if logged_in.get() {
                view! { <Shell store=store.clone() session/> }.into_any()
            } else {
                view! { <LoginPage store=store.clone() session on_done=move |_| {}/> }.into_any()
            }}
        }
        .into_any()
    }
}

/// The logged-in app.
#[component]
fn Shell(store: StoreHandle, session: RwSignal<Option<Session>>) -> impl IntoView {
    let lang = use_lang();
    let sync = SyncHandle::new((*store).clone(), session);
    provide_app_context(store.clone(), session, sync);
    sync.start();
    let relogin = RwSignal::new(false);
    let route = crate::route::use_route();
    let store_for_login = store.clone();
    view! {
        <div class="shell">
            <header class="topbar">
                <h1 class="brand">{tr(Msg::AppName)}</h1>
                <span class="who">{move || session.get().map(|s| s.user.name).unwrap_or_default()}</span>
                <OnlineBadge/>
            </header>
            <SyncBar on_relogin=move |_| relogin.set(true)/>
            <UpdatePrompt/>
            <main class="content">
                {move || if relogin.get() {
                    let store = store_for_login.clone();
                    view! {
                        <LoginPage store session
                            on_done=move |_| { relogin.set(false); sync.sync_now(); }
                            on_cancel=move |_| relogin.set(false)/>
                    }.into_any()
                } else {
                    screen(route.get()).into_any()
                }}
            </main>
            <BottomNav/>
        </div>
    }
    .attr("data-lang", move || lang.get().code())
}

fn screen(route: Route) -> AnyView {
    match route {
        Route::Today => view! { <TodayPage/> }.into_any(),
        Route::Issues => view! { <IssueListPage/> }.into_any(),
        Route::NewIssue => view! { <NewIssuePage/> }.into_any(),
        Route::Issue(id) => view! { <IssueDetailPage id/> }.into_any(),
        Route::Visits => view! { <VisitsPage/> }.into_any(),
        Route::NewVisit(household) => view! { <NewVisitPage household/> }.into_any(),
        Route::Roster => view! { <RosterPage/> }.into_any(),
        Route::Household(id) => view! { <HouseholdPage id/> }.into_any(),
        Route::NewHousehold => view! { <NewHouseholdPage/> }.into_any(),
        Route::Dashboard => view! { <DashboardPage/> }.into_any(),
        Route::MeetingList => view! { <MeetingListPage/> }.into_any(),
        Route::Conflicts => view! { <ConflictsPage/> }.into_any(),
        Route::Settings => view! { <SettingsPage/> }.into_any(),
        Route::Export => view! { <crate::pages::export::ExportPage/> }.into_any(),
        Route::NotFound => view! { <NotFound/> }.into_any(),
        Route::Meetings => view! { <MeetingsPage/> }.into_any(),
        Route::NewMeeting => view! { <NewMeetingPage/> }.into_any(),
        Route::Meeting(id) => view! { <MeetingPage id/> }.into_any(),
        Route::Minutes(id) => view! { <MinutesPage id/> }.into_any(),
        Route::Lists => view! { <ListsPage/> }.into_any(),
        Route::NewListEntry => view! { <NewEntryPage/> }.into_any(),
        Route::ListEntry(id) => view! { <EntryPage id/> }.into_any(),
        Route::EditListEntry(id) => view! { <EditEntryPage id/> }.into_any(),
        Route::Mediations => view! { <CasesPage/> }.into_any(),
        Route::NewCase => view! { <NewCasePage/> }.into_any(),
        Route::Case(id) => view! { <CasePage id/> }.into_any(),
        Route::Agreement(id) => view! { <AgreementPage id/> }.into_any(),
        Route::Tasks => view! { <TasksPage/> }.into_any(),
        Route::Emergency => view! { <EmergencyPage/> }.into_any(),
        Route::NewTask => view! { <SendTaskPage/> }.into_any(),
        Route::Task(id) => view! { <TaskPage id/> }.into_any(),
        Route::TaskBoard(batch) => view! { <BoardPage batch/> }.into_any(),
        Route::Assess => view! { <crate::pages::assess::AssessPage/> }.into_any(),
    }
}
