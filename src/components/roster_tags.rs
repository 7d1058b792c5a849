//! Household tags as a worker reads them: small labelled badges (独居老人, 低保 …), and a
//! row of filter chips, one per tag, each a toggle button with its own name.

use leptos::prelude::*;
use wangge_core::household::HouseholdTag;

use crate::i18n::roster::label;
use crate::i18n::use_lang;

/// Badges for a household's tags; the vulnerable ones (on the visit schedule) stand out.
#[component]
pub fn TagBadges(tags: Vec<HouseholdTag>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="tags">
            {tags.into_iter().map(|t| view! {
                <span class="tag" class:care=is_care(t)>
                    {move || label(lang.get(), t.label_zh(), t.label_en())}
                </span>
            }).collect_view()}
        </span>
    }
}

/// One toggle chip per tag in `tags`, plus "all". `selected` holds the chosen tag.
#[component]
pub fn TagChips(
    tags: Vec<HouseholdTag>,
    selected: RwSignal<Option<HouseholdTag>>,
    #[prop(into)] group_label: Signal<&'static str>,
    #[prop(into)] all_label: Signal<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let chips = tags.into_iter().map(|t| {
        view! {
            <button type="button" class="chip" aria-pressed=move || (selected.get() == Some(t)).to_string()
                on:click=move |_| selected.set(if selected.get_untracked() == Some(t) { None } else { Some(t) })>
                {move || label(lang.get(), t.label_zh(), t.label_en())}
            </button>
        }
    });
    view! {
        <div class="chips" role="group" aria-label=group_label>
            <button type="button" class="chip" aria-pressed=move || selected.get().is_none().to_string()
                on:click=move |_| selected.set(None)>
                {all_label}
            </button>
            {chips.collect_view()}
        </div>
    }
}

/// Tags that put a household on the visit schedule or a support list.
fn is_care(t: HouseholdTag) -> bool {
    matches!(
        t,
        HouseholdTag::LivingAloneElderly
            | HouseholdTag::Disabled
            | HouseholdTag::SeriousIllness
            | HouseholdTag::LeftBehindChild
            | HouseholdTag::LowIncome
    )
}
