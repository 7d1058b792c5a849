// Steps a secretary takes on the meeting screens, shared by the meeting tests: open a
// meeting, decide the next item at the community rung, wait for a decision to save.
"use strict";

const nav = (page) => page.getByRole("navigation", { name: "主导航" });

/** Opens a joint meeting at `when` (datetime-local text) and waits for its screen;
 *  `onForm(page)` runs with the form filled, before it is sent (checks, screenshots). */
async function openMeeting(page, when, place, onForm) {
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.getByRole("heading", { name: "会议记录" }).waitFor();
  await page.getByRole("link", { name: /新建会议/ }).click();
  await page.getByRole("heading", { name: "新建会议" }).waitFor();
  await page.getByLabel("时间").fill(when);
  await page.getByLabel("地点").fill(place);
  await page.getByLabel("列席人员").fill("物业公司项目经理 刘建国");
  if (onForm) await onForm(page);
  await page.getByRole("button", { name: "开始会议" }).click();
  await page.getByRole("heading", { name: /联席会议/ }).waitFor();
}

/** The first undecided item standing at the community rung (the secretary's to decide;
 *  the core refuses her steps on an issue already escalated above). */
function nextItem(page) {
  return page.locator(".agenda-item").filter({ hasText: "· 村(社区) ·" })
    .filter({ has: page.getByRole("button", { name: "研判" }) }).first();
}

/** Decides the next item: `fill(form)` sets the form's fields, `onForm(page)` runs before
 *  saving. Resolves with the item's issue as the agenda links it: `{ title, href }`. */
async function decideNext(page, outcome, fill = async () => {}, onForm) {
  const item = nextItem(page);
  const link = item.locator("a.row-title");
  const issue = { title: (await link.textContent()).trim(), href: await link.getAttribute("href") };
  await item.getByRole("button", { name: "研判" }).click();
  const form = page.locator(".decide-form");
  await form.waitFor();
  await form.getByLabel("研判结果").selectOption({ label: outcome });
  await fill(form);
  if (onForm) await onForm(page);
  await form.getByRole("button", { name: "保存研判" }).click();
  await saved(form);
  // The agenda shows the decision before the next item is looked for.
  await page.locator(".agenda-item").filter({ has: page.locator(`a.row-title[href="${issue.href}"]`) })
    .locator(".decision").waitFor();
  return issue;
}

/** The form closes once the decision is saved; a refusal fails the test with its words. */
async function saved(form) {
  const refusal = form.getByRole("alert");
  await Promise.race([form.waitFor({ state: "detached" }), refusal.waitFor().then(async () => {
    throw new Error("decision refused: " + (await refusal.textContent()));
  })]);
}

/** `d` as datetime-local text at 14:30 local time. */
function localAt(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T14:30`;
}

module.exports = { nav, openMeeting, nextItem, decideNext, saved, localAt };
