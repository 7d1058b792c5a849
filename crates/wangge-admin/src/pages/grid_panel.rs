//! The panel under a grid of the tree: add a child (name, level, optional national grid
//! code checked for shape), rename, move under another parent, or retire after a confirm.
//! Its inputs live in the page (`GridDraft`), above the tree that reloads.

use leptos::prelude::*;
use wangge_core::grid::{GridCode, GridLevel};

use crate::api::{self, Grid, NewGrid};
use crate::i18n::{lang, t, Lang};

use super::grids::{tree_order, GridsPage};
use super::Notice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    AddChild,
    Rename,
    Move,
    Retire,
}

#[derive(Clone, Copy)]
pub(crate) struct GridDraft {
    name: RwSignal<String>,
    level: RwSignal<GridLevel>,
    code: RwSignal<String>,
    parent: RwSignal<String>,
    problem: RwSignal<Option<String>>,
}

impl GridDraft {
    pub(crate) fn new() -> GridDraft {
        GridDraft {
            name: RwSignal::new(String::new()),
            level: RwSignal::new(GridLevel::Group),
            code: RwSignal::new(String::new()),
            parent: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
        }
    }

    /// Fresh inputs for `mode` on the grid `name` at `level`.
    pub(crate) fn start(self, mode: Mode, name: &str, level: GridLevel) {
        self.name.set(if mode == Mode::Rename { name.to_string() } else { String::new() });
        self.level.set(below(level));
        self.code.set(String::new());
        self.parent.set(String::new());
        self.problem.set(None);
    }
}

/// The level a new child usually has: the next rung down (a building stays a building).
fn below(level: GridLevel) -> GridLevel {
    let i = GridLevel::ALL.iter().position(|l| *l == level).unwrap_or(0);
    GridLevel::ALL[(i + 1).min(GridLevel::ALL.len() - 1)]
}

/// The national grid code (CJ/T 349) checked for shape: 15 digits, zeros where the level
/// has no segment. Empty is fine (the code is optional).
pub(crate) fn check_code(code: &str, level: GridLevel, lang: Lang) -> Result<Option<String>, String> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let parsed = GridCode::parse(code).map_err(|e| lang.pick(e.message_zh(), e.message_en()))?;
    if !parsed.fits(level) {
        return Err(lang
            .pick(
                "国家网格编码与层级对不上：6位区县码+3位镇街码+3位村(社区)码+3位网格序号，本级以下的段填0（如镇街级后6位为0，小组和楼栋末3位不能是000）",
                "The grid code does not fit the level: 6-digit county + 3 town + 3 community + 3 grid sequence, with zeros below the level (a town ends in six zeros; a group or building's last three are not 000)",
            )
            .to_string());
    }
    Ok(Some(parsed.as_str().to_string()))
}

#[component]
pub(crate) fn GridPanel(page: GridsPage, grid: Grid) -> impl IntoView {
    let mode = move || page.open.get().map(|(_, m)| m);
    let grid = StoredValue::new(grid);
    move || match mode() {
        Some(Mode::AddChild) => add_child(page, grid.get_value()).into_any(),
        Some(Mode::Rename) => rename(page, grid.get_value()).into_any(),
        Some(Mode::Move) => move_to(page, grid.get_value()).into_any(),
        Some(Mode::Retire) => retire(page, grid.get_value()).into_any(),
        None => ().into_any(),
    }
}

/// Runs a change; on success closes the panel, says `done` and reloads the tree.
fn submit(
    page: GridsPage,
    fut: impl std::future::Future<Output = Result<(), api::ApiError>> + 'static,
    done: (&'static str, &'static str),
) {
    page.busy.set(true);
    page.notice.set(Notice::None);
    leptos::task::spawn_local(async move {
        let result = fut.await;
        page.busy.set(false);
        match result {
            Ok(()) => {
                page.open.set(None);
                page.notice.set(Notice::Done(lang().get_untracked().pick(done.0, done.1).into()));
                page.reload();
            }
            Err(e) => page.notice.set(Notice::Failed(e)),
        }
    });
}

fn add_child(page: GridsPage, parent: Grid) -> impl IntoView {
    let d = page.draft;
    let go = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let lang = lang().get_untracked();
        let name = d.name.get_untracked().trim().to_string();
        if name.is_empty() {
            d.problem.set(Some(lang.pick("请填写网格名称", "Enter the grid's name").into()));
            return;
        }
        match check_code(&d.code.get_untracked(), d.level.get_untracked(), lang) {
            Err(message) => d.problem.set(Some(message)),
            Ok(code) => {
                d.problem.set(None);
                let grid = NewGrid { name, level: d.level.get_untracked(), parent: parent.id.clone(), code };
                submit(page, async move { api::create_grid(&grid).await }, ("已添加下级网格。", "Grid added."));
            }
        }
    };
    view! {
        <form class="form card admin-form" on:submit=go>
            <label class="field">{t("下级网格名称", "Name of the new grid")}
                <input prop:value=move || d.name.get() on:input=move |e| d.name.set(event_target_value(&e))/>
            </label>
            <label class="field">{t("层级", "Level")}
                <select on:change=move |e| if let Some(l) = GridLevel::from_code(&event_target_value(&e)) { d.level.set(l) }>
                    {GridLevel::ALL.map(|l| view! {
                        <option value=l.code() selected=move || d.level.get() == l>{move || lang().get().pick(l.label_zh(), l.label_en())}</option>
                    })}
                </select>
            </label>
            <label class="field">{t("国家网格编码（可不填，15位数字）", "National grid code (optional, 15 digits)")}
                <input inputmode="numeric" prop:value=move || d.code.get() on:input=move |e| d.code.set(event_target_value(&e))/>
            </label>
            {problem(d)}
            {buttons(page, t("添加", "Add"))}
        </form>
    }
}

fn rename(page: GridsPage, grid: Grid) -> impl IntoView {
    let d = page.draft;
    let go = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let name = d.name.get_untracked().trim().to_string();
        if name.is_empty() {
            d.problem.set(Some(lang().get_untracked().pick("请填写网格名称", "Enter the grid's name").into()));
            return;
        }
        let id = grid.id.clone();
        submit(
            page,
            async move { api::update_grid(&id, serde_json::json!({ "name": name })).await },
            ("已改名。", "Renamed."),
        );
    };
    view! {
        <form class="form card admin-form" on:submit=go>
            <label class="field">{t("新名称", "New name")}
                <input prop:value=move || d.name.get() on:input=move |e| d.name.set(event_target_value(&e))/>
            </label>
            {problem(d)}
            {buttons(page, t("保存", "Save"))}
        </form>
    }
}

fn move_to(page: GridsPage, grid: Grid) -> impl IntoView {
    let d = page.draft;
    let list = page.list();
    // Not under itself or anything below it.
    let mut below_it = vec![grid.id.clone()];
    for (_, g) in tree_order(&list) {
        if g.parent.as_ref().is_some_and(|p| below_it.contains(p)) {
            below_it.push(g.id.clone());
        }
    }
    let options = tree_order(&list)
        .into_iter()
        .filter(|(_, g)| !g.retired && !below_it.contains(&g.id) && Some(&g.id) != grid.parent.as_ref())
        .map(|(depth, g)| view! { <option value=g.id.clone()>{format!("{}{}", "　".repeat(depth), g.name)}</option> })
        .collect_view();
    let go = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let parent = d.parent.get_untracked();
        if parent.is_empty() {
            d.problem.set(Some(lang().get_untracked().pick("请选新的上级网格", "Choose the new parent grid").into()));
            return;
        }
        let id = grid.id.clone();
        submit(
            page,
            async move { api::update_grid(&id, serde_json::json!({ "parent": parent })).await },
            ("已移动。", "Moved."),
        );
    };
    view! {
        <form class="form card admin-form" on:submit=go>
            <label class="field">{t("移到哪个网格下面", "Move under")}
                <select on:change=move |e| d.parent.set(event_target_value(&e))>
                    <option value="">{t("请选择…", "Choose…")}</option>
                    {options}
                </select>
            </label>
            {problem(d)}
            {buttons(page, t("移动", "Move"))}
        </form>
    }
}

fn retire(page: GridsPage, grid: Grid) -> impl IntoView {
    let name = grid.name.clone();
    let go = move |_| {
        let id = grid.id.clone();
        submit(page, async move { api::retire_grid(&id).await }, ("网格已撤销。", "Grid retired."));
    };
    view! {
        <div class="card admin-confirm" role="group">
            <p>{move || lang().get().pick("确定撤销网格“", "Retire the grid \u{201c}")}{name.clone()}{t(
                "”？撤销后不能再往里加住户；还有住户或未办结问题的网格不能撤销。",
                "\u{201d}? No household can be added to it afterwards; a grid that still holds households or open issues cannot be retired.",
            )}</p>
            <div class="actions">
                <button class="button small" disabled=move || page.busy.get() on:click=go>{t("确定撤销", "Retire")}</button>
                <button class="button small secondary" on:click=move |_| page.open.set(None)>{t("取消", "Cancel")}</button>
            </div>
        </div>
    }
}

fn problem(d: GridDraft) -> impl IntoView {
    move || d.problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })
}

fn buttons(page: GridsPage, label: impl Fn() -> &'static str + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="actions">
            <button class="button small" type="submit" disabled=move || page.busy.get()>{label}</button>
            <button class="button small secondary" type="button" on:click=move |_| page.open.set(None)>{t("取消", "Cancel")}</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_code_is_checked_for_shape_and_level() {
        assert_eq!(check_code("", GridLevel::Group, Lang::Zh), Ok(None));
        assert!(check_code("12345", GridLevel::Group, Lang::Zh).unwrap_err().contains("15位"));
        assert!(check_code("500110001000000", GridLevel::Group, Lang::Zh).is_err());
        assert_eq!(check_code(" 500110001001007 ", GridLevel::Group, Lang::Zh), Ok(Some("500110001001007".into())));
        assert_eq!(below(GridLevel::Community), GridLevel::Group);
        assert_eq!(below(GridLevel::Building), GridLevel::Building);
    }
}
