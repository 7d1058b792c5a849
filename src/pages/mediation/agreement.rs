//! 人民调解协议书: a case's agreement on A4 in the standard layout — title, case number,
//! the parties (name, side, phone; the ID number a line to fill in by hand, since the phone
//! keeps only its last four), the facts, "经调解,自愿达成如下协议:" and the numbered terms,
//! how and when they are kept, a signature line for each party and mediator, the mediation
//! committee (the name of the case grid's village or community + 人民调解委员会) and the date. On paper the app's
//! chrome and buttons disappear (`style/mediation.css`).

use leptos::prelude::*;

use super::data::{load_case, Shown};
use super::words::{day, party_name, yuan};
use crate::components::print_head::PrintHead;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::i18n::mediation::MedMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::common::core_label;

#[component]
pub fn AgreementPage(id: String) -> impl IntoView {
    if let Some(refused) = super::refused() {
        return refused;
    }
    let store = use_store();
    let scope = session().user.home_grid;
    let back = format!("/mediation/{id}");
    let data = reload(move || {
        let (store, scope, id) = (store.clone(), scope.clone(), id.clone());
        Box::pin(async move { load_case(&store, &scope, &id).await })
    });
    view! {
        <section class="page agreement" aria-labelledby="agreement-title">
            <PrintHead back back_label=|l| MedMsg::Back.text(l) print_label=|l| MedMsg::Print.text(l)/>
            {move || data.get().map(|d| match d {
                Ok(Some(s)) => view! { <Sheet s/> }.into_any(),
                Ok(None) => view! { <p class="empty" id="agreement-title">{tr(MedMsg::NotFound)}</p> }.into_any(),
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
    .into_any()
}

#[component]
fn Sheet(s: Shown) -> impl IntoView {
    let l = use_lang().get();
    let c = &s.case;
    let t = |m: MedMsg| m.text(l);
    // The committee is the village's or community's (a building's grid has none of its own).
    let seat = crate::pages::meetings::committee::community_of(&s.scope.tree, &c.grid);
    let committee = s.scope.tree.get(&seat).map(|g| g.name.to_string()).unwrap_or_else(|| c.grid.to_string());
    let parties = c
        .entries
        .parties
        .values()
        .map(|p| {
            let phone = p.phone.as_ref().map(|x| format!("  {}{x}", t(MedMsg::PhoneLabel)));
            view! {
                <p class="party-line">
                    <strong>{label(p.side, l)} "："</strong> " " {p.name.to_string()} {phone}
                    <br/>{t(MedMsg::IdLine)} "____________________"
                </p>
            }
        })
        .collect_view();
    let terms = c
        .terms_in_order()
        .into_iter()
        .enumerate()
        .map(|(n, (_, term))| {
            let mut line = format!("{}、{}", n + 1, term.what);
            if let (Some(f), Some(to)) = (&term.from, &term.to) {
                line.push_str(&format!(
                    "{}{} {} {}",
                    t(MedMsg::Sep),
                    party_name(c, f),
                    t(MedMsg::Pays),
                    party_name(c, to)
                ));
            }
            if let Some(fen) = term.amount_fen {
                line.push_str(&format!(" ¥{}", yuan(fen)));
            }
            if let Some(due) = term.due {
                line.push_str(&format!("{}{}{}{}", t(MedMsg::Sep), t(MedMsg::Due), t(MedMsg::Colon), day(due)));
            }
            view! { <li>{line}</li> }
        })
        .collect_view();
    let signs = c
        .entries
        .parties
        .values()
        .map(|p| view! { <p class="sign-line">{label(p.side, l)} {t(MedMsg::Signature)} "：" "________________"</p> })
        .collect_view();
    let mediators = c
        .mediators
        .iter()
        .map(|_| view! { <p class="sign-line">{t(MedMsg::MediatorSign)} "________________"</p> })
        .collect_view();
    let signed = c.agreed_at().map(day).unwrap_or_else(|| "____年____月____日".into());
    view! {
        <article class="sheet">
            <h2 id="agreement-title" class="sheet-title">{t(MedMsg::AgreementTitle)}</h2>
            <p class="case-no">{t(MedMsg::CaseNo)} {c.id.to_string()}</p>
            {parties}
            <h3>{t(MedMsg::FactsHead)}</h3>
            <p class="facts">{c.facts.as_ref().map(|f| f.to_string()).unwrap_or_else(|| c.title.to_string())}</p>
            <h3>{t(MedMsg::Agreed)}</h3>
            <ol class="agreement-terms">{terms}</ol>
            <h3>{t(MedMsg::HowKept)}</h3>
            <p>{t(MedMsg::HowKeptText)}</p>
            <div class="signatures">{signs}{mediators}</div>
            <p class="committee">{committee} {t(MedMsg::Committee)} {t(MedMsg::Seal)}</p>
            <p class="committee">{signed}</p>
        </article>
    }
}

fn label(side: wangge_core::mediation::PartySide, l: Lang) -> &'static str {
    core_label!(side, l)
}
