//! 网格管理: the administrator's subtree as an indented tree, each grid with its
//! households, open issues and staff; add a child grid, rename, move, retire (撤销). A
//! refusal (say, a grid that still holds households) shows the server's own message.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, Grid};
use crate::i18n::{lang, t};

use super::grid_panel::{GridDraft, GridPanel, Mode};
use super::{error_view, notice_view, Notice};

/// The grids in tree order (parents before children; siblings by national code, which
/// numbers them as the district does, then by name), with depth. A
/// grid whose parent is not in the list is a root (the administrator's own subtree top).
pub(crate) fn tree_order(grids: &[Grid]) -> Vec<(usize, &Grid)> {
    let known = |id: &Option<String>| id.as_ref().is_some_and(|p| grids.iter().any(|g| &g.id == p));
    let mut out = Vec::with_capacity(grids.len());
    let mut roots: Vec<&Grid> = grids.iter().filter(|g| !known(&g.parent)).collect();
    roots.sort_by(|a, b| sibling_order(a, b));
    let mut stack: Vec<(usize, &Grid)> = roots.into_iter().rev().map(|g| (0, g)).collect();
    while let Some((depth, g)) = stack.pop() {
        out.push((depth, g));
        // A cycle cannot come from the server; the bound keeps a bad answer from looping.
        if out.len() > grids.len() {
            break;
        }
        let mut children: Vec<&Grid> = grids.iter().filter(|c| c.parent.as_deref() == Some(g.id.as_str())).collect();
        children.sort_by(|a, b| sibling_order(b, a));
        stack.extend(children.into_iter().map(|c| (depth + 1, c)));
    }
    out
}

/// Coded grids first, in code order (一村 001 before 七村 007, which names in Unicode
/// order would not give), then the rest by name.
fn sibling_order(a: &Grid, b: &Grid) -> std::cmp::Ordering {
    (a.code.is_none(), &a.code, &a.name).cmp(&(b.code.is_none(), &b.code, &b.name))
}

/// Page state: the list, which grid's panel is open and how, the last notice.
#[derive(Clone, Copy)]
pub(crate) struct GridsPage {
    pub(crate) grids: RwSignal<Option<Result<Vec<Grid>, ApiError>>>,
    pub(crate) open: RwSignal<Option<(String, Mode)>>,
    pub(crate) notice: RwSignal<Notice>,
    pub(crate) busy: RwSignal<bool>,
    pub(crate) draft: GridDraft,
}

impl GridsPage {
    pub(crate) fn reload(self) {
        spawn_local(async move { self.grids.set(Some(api::grids().await)) });
    }

    pub(crate) fn list(self) -> Vec<Grid> {
        self.grids.with(|g| g.as_ref().and_then(|r| r.as_ref().ok()).cloned().unwrap_or_default())
    }
}

#[component]
pub(crate) fn Grids() -> impl IntoView {
    let page = GridsPage {
        grids: RwSignal::new(None),
        open: RwSignal::new(None),
        notice: RwSignal::new(Notice::None),
        busy: RwSignal::new(false),
        draft: GridDraft::new(),
    };
    page.reload();
    let show_retired = RwSignal::new(false);
    view! {
        <section class="admin-grids">
            <div class="admin-toolbar">
                <h2>{t("网格管理", "Grids")}</h2>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || show_retired.get() on:change=move |_| show_retired.update(|v| *v = !*v)/>
                    {t("显示已撤销的网格", "Show retired grids")}
                </label>
            </div>
            {notice_view(page.notice)}
            {move || match page.grids.get() {
                None => view! { <p class="muted">{t("正在读取…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => error_view(&e).into_any(),
                Some(Ok(grids)) => tree_view(page, &grids, show_retired.get()).into_any(),
            }}
        </section>
    }
}

fn tree_view(page: GridsPage, grids: &[Grid], show_retired: bool) -> impl IntoView {
    let rows: Vec<_> = tree_order(grids)
        .into_iter()
        .filter(|(_, g)| show_retired || !g.retired)
        .map(|(depth, g)| grid_row(page, depth, g.clone()))
        .collect();
    view! { <ul class="list admin-tree card">{rows}</ul> }
}

fn grid_row(page: GridsPage, depth: usize, g: Grid) -> impl IntoView {
    let lang = lang();
    let id = StoredValue::new(g.id.clone());
    let (name, level_now) = (StoredValue::new(g.name.clone()), g.level);
    let open_as = move |mode: Mode| {
        move |_| {
            page.notice.set(Notice::None);
            page.draft.start(mode, &name.get_value(), level_now);
            page.open.set(Some((id.get_value(), mode)));
        }
    };
    let is_open = move || page.open.with(|o| o.as_ref().is_some_and(|(i, _)| *i == id.get_value()));
    let level = g.level;
    let (households, open_issues, people) = (g.households, g.open_issues, g.people);
    let panel_grid = StoredValue::new(g.clone());
    let counts = move || {
        let l = lang.get();
        format!(
            "{} {} · {} {} · {} {}",
            l.pick("住户", "households"),
            households,
            l.pick("未办结问题", "open issues"),
            open_issues,
            l.pick("人员", "staff"),
            people,
        )
    };
    view! {
        <li class="admin-grid" class:admin-retired=g.retired data-grid=g.id.clone() style:padding-left=format!("{}rem", 0.25 + depth as f32 * 1.25)>
            <p class="row-title">
                {g.name.clone()}
                <span class="admin-level">{move || lang.get().pick(level.label_zh(), level.label_en())}</span>
                {g.retired.then(|| view! { <span class="admin-level">{t("已撤销", "retired")}</span> })}
            </p>
            <p class="row-meta">{counts}{g.code.clone().map(|c| format!(" · {c}"))}</p>
            {(!g.retired).then(|| view! {
                <div class="actions admin-actions">
                    <button class="link" on:click=open_as(Mode::AddChild)>{t("添加下级", "Add child")}</button>
                    <button class="link" on:click=open_as(Mode::Rename)>{t("改名", "Rename")}</button>
                    <button class="link" on:click=open_as(Mode::Move)>{t("移动", "Move")}</button>
                    <button class="link" on:click=open_as(Mode::Retire)>{t("撤销", "Retire")}</button>
                </div>
            })}
            <Show when=is_open>
                <GridPanel page=page grid=panel_grid.get_value()/>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wangge_core::grid::GridLevel;

    fn grid(id: &str, parent: Option<&str>, name: &str) -> Grid {
        Grid {
            id: id.into(),
            name: name.into(),
            level: GridLevel::Community,
            parent: parent.map(Into::into),
            code: None,
            retired: false,
            households: 0,
            open_issues: 0,
            people: 0,
        }
    }

    #[test]
    fn children_follow_their_parent_one_level_deeper() {
        let mut grids = vec![
            grid("c2", Some("t"), "七村"),
            grid("t", Some("outside"), "镇"),
            grid("c1", Some("t"), "一村"),
            grid("g", Some("c1"), "一组"),
        ];
        grids[0].code = Some("500110001001007".into());
        grids[2].code = Some("500110001001001".into());
        grids.push(grid("c0", Some("t"), "新村"));
        let order: Vec<(usize, &str)> = tree_order(&grids).into_iter().map(|(d, g)| (d, g.id.as_str())).collect();
        assert_eq!(order, vec![(0, "t"), (1, "c1"), (2, "g"), (1, "c2"), (1, "c0")]);
    }
}
