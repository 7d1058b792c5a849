//! The shell: who is logged in (the worker app's session), the screens as a tiny route
//! enum in the URL (`/admin/`, `/admin/grids`, `/admin/handover`, `/admin/import`,
//! `/admin/export`, `/admin/exports`; no router crate, to stay small), the language
//! switch and the online badge.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::{lang, provide_lang, t, Lang};
use crate::pages;
use crate::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Screen {
    Accounts,
    Grids,
    Handover,
    Import,
    Export,
    ExportLog,
}

impl Screen {
    const ALL: [Screen; 6] =
        [Screen::Accounts, Screen::Grids, Screen::Handover, Screen::Import, Screen::Export, Screen::ExportLog];

    fn parse(path: &str) -> Screen {
        match path.trim_start_matches("/admin").trim_matches('/') {
            "grids" => Screen::Grids,
            "handover" => Screen::Handover,
            "import" => Screen::Import,
            "export" => Screen::Export,
            "exports" => Screen::ExportLog,
            _ => Screen::Accounts,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Screen::Accounts => "/admin/",
            Screen::Grids => "/admin/grids",
            Screen::Handover => "/admin/handover",
            Screen::Import => "/admin/import",
            Screen::Export => "/admin/export",
            Screen::ExportLog => "/admin/exports",
        }
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            Screen::Accounts => ("账号管理", "Accounts"),
            Screen::Grids => ("网格管理", "Grids"),
            Screen::Handover => ("工作交接", "Handover"),
            Screen::Import => ("住户台账导入", "Ledger import"),
            Screen::Export => ("导出表格", "Export"),
            Screen::ExportLog => ("导出记录", "Export log"),
        }
    }
}

fn current_screen() -> Screen {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    Screen::parse(&path)
}

pub(crate) fn mount() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = root {
        root.set_inner_html("");
        let root: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
        mount_to(root, App).forget();
    }
}

#[component]
fn App() -> impl IntoView {
    let lang = provide_lang();
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().code());
        }
    });
    match Session::load() {
        Some(s) if s.expired => gate(t(
            "登录已过期，请回到网格通重新登录后再来。",
            "Your login has expired: log in again in Wangge, then come back.",
        ))
        .into_any(),
        Some(s) if s.administers() => view! { <Shell session=s/> }.into_any(),
        Some(_) => gate(t(
            "管理后台只对社区书记、镇街干部和区级部门干部开放。",
            "Administration is for community secretaries, town staff and district staff.",
        ))
        .into_any(),
        None => gate(t("请先在网格通登录。", "Please log in to Wangge first.")).into_any(),
    }
}

/// No session, or not an administrator: say so and link back to the worker app.
fn gate(message: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    view! {
        <main class="content page login">
            <h2>{t("网格通 管理后台", "Wangge administration")}</h2>
            <p class="card" role="alert">{message}</p>
            <a class="button admin-back" href="/">{t("回到网格通", "Back to Wangge")}</a>
        </main>
    }
}

#[component]
fn Shell(session: Session) -> impl IntoView {
    let screen = RwSignal::new(current_screen());
    let _ = window_event_listener(ev::popstate, move |_| screen.set(current_screen()));
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(ev::online, move |_| online.set(true));
    let _ = window_event_listener(ev::offline, move |_| online.set(false));
    let lang = lang();
    let switch = move |_| {
        let next = if lang.get() == Lang::Zh { Lang::En } else { Lang::Zh };
        next.save();
        lang.set(next);
    };
    view! {
        <div class="shell admin">
            <header class="topbar">
                <h1 class="brand">{t("网格通 管理后台", "Wangge admin")}</h1>
                <span class="who admin-who">{session.user.name.clone()}</span>
                <button class="link admin-lang" on:click=switch>{t("English", "中文")}</button>
                <span class="badge" class:offline=move || !online.get()>
                    {move || if online.get() { lang.get().pick("在线", "Online") } else { lang.get().pick("离线", "Offline") }}
                </span>
            </header>
            <Show when=move || !online.get()>
                <p class="syncbar sync-problem" role="status">
                    {t("现在没有网络。管理后台只能联网使用，联网后再操作。", "You are offline. Administration works online only: try again when connected.")}
                </p>
            </Show>
            <nav class="admin-tabs" aria-label=move || lang.get().pick("管理后台导航", "Administration")>
                {Screen::ALL.map(|s| tab(s, screen))}
                <a class="admin-tab" href="/">{t("← 回到网格通", "← Back to Wangge")}</a>
            </nav>
            <main class="content page">
                {move || match screen.get() {
                    Screen::Accounts => view! { <pages::accounts::Accounts/> }.into_any(),
                    Screen::Grids => view! { <pages::grids::Grids/> }.into_any(),
                    Screen::Handover => view! { <pages::handover::Handover/> }.into_any(),
                    Screen::Import => view! { <pages::ledger::Ledger/> }.into_any(),
                    Screen::Export => view! { <pages::export::Export/> }.into_any(),
                    Screen::ExportLog => view! { <pages::export_log::ExportLog/> }.into_any(),
                }}
            </main>
        </div>
    }
}

fn tab(s: Screen, screen: RwSignal<Screen>) -> impl IntoView {
    let (zh, en) = s.label();
    let go = move |e: ev::MouseEvent| {
        e.prevent_default();
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(s.path()));
        }
        screen.set(s);
    };
    view! {
        <a class="admin-tab" href=s.path() class:active=move || screen.get() == s
            aria-current=move || (screen.get() == s).then_some("page") on:click=go>
            {t(zh, en)}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::Screen;

    #[test]
    fn every_screen_path_parses_back_to_itself() {
        for s in Screen::ALL {
            assert_eq!(Screen::parse(s.path()), s);
        }
        assert_eq!(Screen::parse("/admin"), Screen::Accounts);
        assert_eq!(Screen::parse("/admin/grids/"), Screen::Grids);
    }
}
