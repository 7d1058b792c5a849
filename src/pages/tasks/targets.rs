//! The targets part of the sending form: the grid as a whole (a patrol, a count), every
//! household with a care tag, every unit of a kind (every school before the storm), or
//! households picked by hand from the chosen grids (filtered by name or address, since a
//! community holds hundreds). A rule is kept as a rule (`TargetRule`) so a household
//! tagged after the sending is checked too; a picked list is split per grid record
//! ([`split_picked`]) so each grid's worker sees only her own households.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::household::{HouseholdStatus, HouseholdTag};
use wangge_core::task::{Target, TargetRule, Task};
use wangge_core::unit::UnitKind;
use wangge_core::{GridId, HouseholdId};

use crate::i18n::tasks::TaskMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;
use crate::store::task_queries::TaskWorld;
use crate::store::StoreError;

/// Which kind of targets the sender chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleChoice {
    /// The grid as a whole.
    Grid,
    /// Every household with the tag.
    Tag(HouseholdTag),
    /// Every unit of the kind.
    Unit(UnitKind),
    /// The households picked.
    Picked,
}

impl RuleChoice {
    /// The core's rule, with `picked` for a hand-picked list.
    pub fn rule(self, picked: &BTreeSet<HouseholdId>) -> TargetRule {
        match self {
            RuleChoice::Grid => TargetRule::Grid,
            RuleChoice::Tag(tag) => TargetRule::CareTag { tag },
            RuleChoice::Unit(unit_kind) => TargetRule::UnitKind { unit_kind },
            RuleChoice::Picked => {
                TargetRule::Picked { targets: picked.iter().cloned().map(Target::Household).collect() }
            }
        }
    }
}

/// Each record of a hand-picked sending keeps only the picked households of its own grid,
/// and a chosen grid where nothing was picked is left out — unless that leaves nothing,
/// then the records stay with their empty lists for the core to refuse with its message
/// (请至少选择一户…). Other rules pass as they are.
pub fn split_picked(tasks: Vec<Task>, world: &TaskWorld) -> Vec<Task> {
    let split: Vec<Task> = tasks.into_iter().map(|t| keep_own(t, world)).collect();
    let empty = |t: &Task| matches!(&t.targets, TargetRule::Picked { targets } if targets.is_empty());
    if split.iter().all(empty) {
        return split;
    }
    split.into_iter().filter(|t| !empty(t)).collect()
}

fn keep_own(mut task: Task, world: &TaskWorld) -> Task {
    let grid = task.grid.clone();
    if let TargetRule::Picked { targets } = &mut task.targets {
        targets.retain(|target| match target {
            Target::Household(id) => {
                world.households.iter().any(|h| &h.id == id && world.tree.contains(&grid, &h.grid))
            }
            _ => true,
        });
    }
    task
}

/// The radio choices and, below the chosen one, its tag, unit kind or household list.
#[component]
pub fn TargetChoice(
    rule: RwSignal<RuleChoice>,
    picked: RwSignal<BTreeSet<HouseholdId>>,
    grids: RwSignal<BTreeSet<GridId>>,
    world: RwSignal<Option<Result<Arc<TaskWorld>, StoreError>>>,
) -> impl IntoView {
    let lang = use_lang();
    let radio = move |choice: RuleChoice, label: TaskMsg| {
        let same = move |r: RuleChoice| std::mem::discriminant(&r) == std::mem::discriminant(&choice);
        view! {
            <label class="choice">
                <input type="radio" name="task-rule" prop:checked=move || same(rule.get())
                    on:change=move |_| rule.set(choice)/>
                {tr(label)}
            </label>
        }
    };
    let tag_select = move || {
        let RuleChoice::Tag(current) = rule.get() else { return None };
        let options = HouseholdTag::ALL
            .map(|t| view! { <option value=t.code() selected=t == current>{move || core_label!(t, lang.get())}</option> })
            .into_iter()
            .collect_view();
        Some(view! {
            <select id="task-tag" on:change=move |ev| {
                if let Some(t) = HouseholdTag::from_code(&event_target_value(&ev)) { rule.set(RuleChoice::Tag(t)) }
            }>{options}</select>
        })
    };
    let unit_select = move || {
        let RuleChoice::Unit(current) = rule.get() else { return None };
        let options = UnitKind::ALL
            .map(|k| view! { <option value=k.code() selected=k == current>{move || core_label!(k, lang.get())}</option> })
            .into_iter()
            .collect_view();
        Some(view! {
            <select id="task-unit-kind" on:change=move |ev| {
                if let Some(k) = UnitKind::from_code(&event_target_value(&ev)) { rule.set(RuleChoice::Unit(k)) }
            }>{options}</select>
        })
    };
    view! {
        <fieldset class="field">
            <legend>{tr(TaskMsg::FieldTargets)}</legend>
            {radio(RuleChoice::Grid, TaskMsg::WholeGrid)}
            {radio(RuleChoice::Tag(HouseholdTag::LivingAloneElderly), TaskMsg::ByTag)}
            {tag_select}
            {radio(RuleChoice::Unit(UnitKind::ALL[0]), TaskMsg::ByUnitKind)}
            {unit_select}
            {radio(RuleChoice::Picked, TaskMsg::ByPick)}
            <Show when=move || rule.get() == RuleChoice::Picked>
                <PickHouseholds picked grids world/>
            </Show>
        </fieldset>
    }
}

/// The households living in the chosen grids, each with a checkbox, filtered by what is
/// typed; the count picked above the list.
#[component]
fn PickHouseholds(
    picked: RwSignal<BTreeSet<HouseholdId>>,
    grids: RwSignal<BTreeSet<GridId>>,
    world: RwSignal<Option<Result<Arc<TaskWorld>, StoreError>>>,
) -> impl IntoView {
    let lang = use_lang();
    let filter = RwSignal::new(String::new());
    let rows = move || {
        let Some(Ok(w)) = world.get() else { return Vec::new() };
        let chosen = grids.get();
        let needle = filter.get().trim().to_string();
        let mut found: Vec<(GridId, HouseholdId, String)> = w
            .households
            .iter()
            .filter(|h| h.status == HouseholdStatus::Present)
            .filter(|h| chosen.iter().any(|g| w.tree.contains(g, &h.grid)))
            .map(|h| (h.grid.clone(), h.id.clone(), w.label(&h.grid, &Target::Household(h.id.clone()))))
            .filter(|(_, _, label)| needle.is_empty() || label.contains(&needle))
            .collect();
        wangge_core::sort::sort_by_key(&mut found, |(g, _, label)| (g.clone(), label.clone()));
        found
    };
    view! {
        <div class="pick-households">
            <input type="search" id="task-pick-filter" placeholder=move || TaskMsg::PickFilter.text(lang.get())
                prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
            <p class="muted">{tr(TaskMsg::PickedCount)} " " {move || picked.with(BTreeSet::len)}</p>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p class="muted">{tr(TaskMsg::PickNone)}</p> }.into_any();
                }
                rows.into_iter()
                    .map(|(_, id, label)| {
                        let (a, b, value) = (id.clone(), id.clone(), id.to_string());
                        view! {
                            <label class="choice">
                                <input type="checkbox" name="task-pick" value=value prop:checked=move || picked.with(|p| p.contains(&a))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|p| { if on { p.insert(b.clone()); } else { p.remove(&b); } });
                                    }/>
                                {label}
                            </label>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
    }
}
