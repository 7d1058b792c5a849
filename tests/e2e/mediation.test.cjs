// Mediation (issue #15) through the UI, as the grid worker does it with no signal: a
// 矛盾纠纷 issue is reported and becomes a case (filled in from the issue and its
// household); two sessions are recorded (one 背靠背); an agreement with two money terms is
// signed (dated 10 days ago); one term is kept, the other was due 3 days ago and shows on
// the mediator's Today. Back online everything syncs and nothing is refused; the agreement
// prints on A4. The test makes its own data (a title of its own) and does not assume the
// demo has no cases. Screenshots at 360 px, and the print view at desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, waitForServiceWorker, checkA11y } =
  require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Also under /work/shots when it exists (the helper's hand-back). */
async function shot(target, name, opts = {}) {
  const full = typeof target.goto === "function" ? { fullPage: true } : {};
  await target.screenshot({ path: screenshotPath(name), ...full, ...opts });
  if (fs.existsSync("/work/shots")) fs.copyFileSync(screenshotPath(name), path.join("/work/shots", name + ".png"));
}

/** `YYYY-MM-DD`, `days` from today, as the core counts days (UTC). */
function day(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

const TITLE = `楼上漏水损坏楼下装修 ${Date.now() % 100000}`;
const nav = (page) => page.getByRole("navigation", { name: "主导航" });

/** The id of a household on the phone (the worker would pick it from the roster). */
async function someHousehold(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onsuccess = () => {
      const req = open.result.transaction("households").objectStore("households").getAll(null, 20);
      req.onsuccess = () => {
        open.result.close();
        const found = req.result.find((h) => h.name && h.name.length >= 2);
        found ? resolve(found.id) : reject(new Error("no household"));
      };
    };
    open.onerror = () => reject(open.error);
  }));
}

async function addSession(page, mode, notes) {
  const form = page.locator(".session-form");
  if ((await form.getAttribute("open")) === null) await form.locator("summary").click();
  await form.getByLabel("调解日期").fill(day(-12));
  await form.getByLabel(mode, { exact: true }).check();
  await form.locator(".choice input[type=checkbox]").first().check();
  await form.getByLabel("调解情况").fill(notes);
  await form.getByRole("button", { name: "保存调解记录" }).click();
  await page.locator(".session-list").getByText(notes).waitFor();
}

async function addTerm(page, what, yuan, due) {
  const form = page.locator(".term-form");
  await form.getByLabel(/^内容/).fill(what);
  await form.getByLabel(/^金额/).fill(yuan);
  await form.getByLabel("履行期限").fill(due);
  await form.getByLabel("履行方").selectOption({ index: 2 });
  await form.getByLabel("接受方").selectOption({ index: 1 });
  await form.getByRole("button", { name: "保存条款" }).click();
  await page.locator(".term-list").getByText(what).waitFor();
}

test("a dispute becomes a case offline, is mediated to an agreement kept in part, reminds, syncs and prints", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await waitForServiceWorker(page);
  const household = await someHousehold(page);

  await context.setOffline(true);
  // Report the dispute about a household of the grid.
  await page.goto(`${server.url}/issues/new?household=${household}`);
  await page.getByLabel("问题类别").selectOption({ label: "矛盾纠纷" });
  await page.getByLabel("问题标题").fill(TITLE);
  await page.getByLabel(/问题描述/).fill("楼上卫生间漏水，楼下住户天花板和木地板受损，双方多次争吵。");
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: TITLE }).waitFor();
  const issueUrl = page.url();

  // 转为调解案件: filled in from the issue, the household's head as applicant.
  await page.getByRole("link", { name: "转为调解案件" }).click();
  await page.getByRole("heading", { name: "新建调解案件" }).waitFor();
  await page.waitForFunction((t) => document.querySelector(".form input[type=text]")?.value === t, TITLE);
  await page.locator(".parties .party-list li").first().waitFor();
  await page.getByLabel("受理日期").fill(day(-20));
  const party = page.locator(".party-form");
  await party.getByLabel("姓名 / 单位名称").fill("李某（楼上住户）");
  await party.locator("select").selectOption({ label: "被申请人" });
  await party.getByLabel(/身份证号后四位/).fill("12");
  await party.getByRole("button", { name: "添加当事人" }).click();
  // Two characters are not an ID tail: the core says so when the case is accepted.
  await page.getByRole("button", { name: "受理案件" }).click();
  await page.getByRole("alert").filter({ hasText: "身份证号只记后四位" }).waitFor();
  await page.locator(".parties .party-list li").nth(1).getByRole("button", { name: "移除" }).click();
  await party.getByLabel("姓名 / 单位名称").fill("李某（楼上住户）");
  await party.locator("select").selectOption({ label: "被申请人" });
  await party.getByLabel(/身份证号后四位/).fill("");
  await party.getByRole("button", { name: "添加当事人" }).click();
  await page.locator(".parties .party-list li").nth(1).waitFor();
  await checkA11y(page, "new case");
  await shot(page, "mediation-new-case-360");
  await page.getByRole("button", { name: "受理案件" }).click();
  await page.getByRole("heading", { name: TITLE }).waitFor();
  await page.locator(".case-stage", { hasText: "已受理" }).waitFor();

  // Two sessions, the first back to back.
  await addSession(page, "背靠背调解", "分别听取双方诉求，楼下要求赔偿维修费用");
  await addSession(page, "面对面调解", "双方见面，就赔偿金额和维修达成一致");
  await page.locator(".case-stage", { hasText: "调解中" }).waitFor();

  // Two money terms: one due in a month, one due three days ago.
  await addTerm(page, "赔偿楼下装修损失", "3200", day(30));
  await addTerm(page, "承担防水维修费用", "1500.5", day(-3));
  await page.getByText("合计 ¥4700.50").waitFor();

  // No agreement without a next step: the core's message, nothing recorded.
  const outcome = page.locator(".outcome-form");
  await outcome.getByLabel("调解不成", { exact: true }).check();
  await outcome.getByRole("button", { name: "登记结果" }).click();
  await outcome.getByRole("alert").filter({ hasText: "调解不成时请选择后续途径" }).waitFor();
  await outcome.getByLabel("达成协议", { exact: true }).check();
  await outcome.getByLabel(/^日期/).fill(day(-10));
  await outcome.getByRole("button", { name: "登记结果" }).click();
  await page.locator(".case-stage", { hasText: "达成协议" }).waitFor();
  await page.locator(".term.overdue").filter({ hasText: "承担防水维修费用" }).waitFor();

  // The first term is kept.
  await page.locator(".term").filter({ hasText: "赔偿楼下装修损失" }).getByRole("button", { name: "登记履行" }).click();
  const kept = page.locator(".kept-form");
  await kept.getByLabel("已履行", { exact: true }).check();
  await kept.getByLabel(/^说明/).fill("已当面付清");
  await kept.getByRole("button", { name: "保存履行情况" }).click();
  await page.locator(".term").filter({ hasText: "赔偿楼下装修损失" }).locator(".term-status", { hasText: "已履行" }).waitFor();
  await checkA11y(page, "case");
  await shot(page, "mediation-case-360");

  // The overdue term is on the mediator's Today.
  await nav(page).getByRole("link", { name: "今日" }).click();
  const reminders = page.locator(".mediation-reminders");
  const mine = reminders.locator("li").filter({ hasText: TITLE });
  await mine.filter({ hasText: "已逾期" }).waitFor();
  assert.equal(await mine.count(), 1, "only the unkept term reminds");
  await mine.getByText("¥1500.50").waitFor();
  await reminders.scrollIntoViewIfNeeded();
  await shot(reminders, "mediation-today-reminders-360");

  // The list, and the issue's link to its case.
  await reminders.getByRole("link", { name: "调解案件 · 全部" }).click();
  await page.getByRole("heading", { name: "调解案件" }).waitFor();
  await page.locator(".case-rows li").filter({ hasText: TITLE }).waitFor();
  await checkA11y(page, "cases");
  await shot(page, "mediation-list-360");
  await page.goto(issueUrl);
  await page.getByRole("link", { name: "调解案件：达成协议" }).waitFor();

  // Back in signal: everything syncs and the server refuses nothing.
  await context.setOffline(false);
  await waitSynced(page);
  assert.equal(await page.getByText(/拒绝/).count(), 0, "no refused change");
  await context.close();
});

test("the agreement prints on A4 at desktop width: no navigation or buttons", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await page.goto(`${server.url}/mediation`);
  // A grid worker reaches mediation from Today: that tab stays lit.
  await page.locator("nav a[aria-current=page]", { hasText: "今日" }).waitFor();
  await page.locator(".case-rows li a").filter({ hasText: TITLE }).click();
  await page.getByRole("link", { name: "人民调解协议书" }).click();
  await page.getByRole("heading", { name: "人民调解协议书" }).waitFor();
  const sheet = page.locator(".sheet");
  await sheet.getByText("经调解，自愿达成如下协议：").waitFor();
  await sheet.getByText(/承担防水维修费用.*¥1500\.50/).waitFor();
  await sheet.getByText("人民调解委员会", { exact: false }).first().waitFor();
  await page.emulateMedia({ media: "print" });
  assert.equal(await nav(page).isVisible(), false, "no navigation on paper");
  assert.equal(await page.getByRole("button", { name: "打印" }).isVisible(), false, "no buttons on paper");
  await shot(page, "mediation-agreement-print-1280");
  await context.close();
});
