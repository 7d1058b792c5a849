// A grid worker's day, as issue #5 tells it, in real Chromium against the real server:
// she logs in, loses signal, visits an elderly resident who lives alone and records it,
// reports an issue found on the visit, escalates another issue to the community, reloads
// with no signal and finds everything still there. Back online, the community secretary
// (a second phone) sees the escalated issue, assigns and resolves it, and the worker's
// phone shows it resolved.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, waitForServiceWorker, pendingCount,
} = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const nav = (page) => page.getByRole("navigation", { name: "主导航" });
const NOTE = "老人独居,腿脚不便,厨房水龙头漏水";
const FOUND = "独居老人家中水龙头漏水需维修";
const REASON = "需社区协调物业维修公共管道";

/** An issue at the grid level the worker can escalate (accepted or awaiting acceptance). */
async function gridIssue(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("issues").objectStore("issues").getAll();
      req.onsuccess = () => {
        open.result.close();
        const hit = req.result.find((r) => r.level === "grid" && (r.status === "accepted" || r.status === "reported"));
        hit ? resolve({ id: hit.id, title: hit.title, status: hit.status }) : reject(new Error("no grid-level issue"));
      };
    };
  }));
}

async function confirmAction(page, action, fill) {
  await page.getByRole("button", { name: action }).click();
  if (fill) await page.getByLabel(fill[0]).fill(fill[1]);
  await page.getByRole("button", { name: "确认" }).click();
}

test("a worker's day offline, then the secretary resolves what she escalated", async () => {
  const phone = await newPhone(browser);
  const page = await phone.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await waitForServiceWorker(page);
  const second = await gridIssue(page);

  // Out of signal for the rest of the morning.
  await phone.setOffline(true);

  // Visit an elderly resident living alone, found in the roster.
  await nav(page).getByRole("link", { name: "住户台账" }).click();
  await page.getByRole("button", { name: "独居老人", exact: true }).click();
  const first = page.locator(".hh-list a").first();
  await first.waitFor();
  const name = (await first.locator(".hh-name").textContent()).trim();
  await first.click();
  await page.getByRole("heading", { name: new RegExp(name) }).waitFor();
  const household = new URL(page.url()).pathname.split("/").pop();
  await page.getByRole("link", { name: "记录走访", exact: true }).click();
  await page.getByLabel("走访情况").fill(NOTE);
  await page.getByRole("button", { name: "保存走访" }).click();
  await page.getByText("走访已保存在本机").waitFor();

  // Report what the visit found, straight from the visit.
  await page.getByRole("link", { name: "走访中发现问题？上报问题" }).click();
  await page.getByRole("heading", { name: "上报问题" }).waitFor();
  await page.getByText("已选：").waitFor();
  await page.getByLabel("问题类别").selectOption({ label: "民生救助" });
  await page.getByLabel("问题标题").fill(FOUND);
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: FOUND }).waitFor();
  const foundUrl = page.url();

  // Escalate another issue of her grid to the community.
  const secondUrl = `${server.url}/issues/${second.id}`;
  await page.goto(secondUrl);
  await page.getByRole("heading", { name: second.title }).waitFor();
  if (second.status === "reported") {
    await confirmAction(page, "受理");
    await page.getByText("已受理").first().waitFor();
  }
  await confirmAction(page, "提级上报", ["原因", REASON]);
  await page.getByRole("listitem").filter({ hasText: "提级到：村(社区)" }).waitFor();
  const pending = await pendingCount(page);
  assert.ok(pending >= 4, `visit, new issue + its event, escalation wait to sync: ${pending}`);

  // A reload with no signal: all of it is still on the phone.
  await page.reload();
  await page.getByRole("heading", { name: second.title }).waitFor({ timeout: 15000 });
  await page.getByText(REASON).first().waitFor();
  await page.goto(foundUrl);
  await page.getByRole("heading", { name: FOUND }).waitFor();
  await page.goto(`${server.url}/households/${household}`);
  await page.getByText(NOTE).waitFor();
  assert.equal(await pendingCount(page), pending, "nothing sent, nothing lost");
  await page.screenshot({ path: screenshotPath("day-offline-household") });

  // Signal again: everything goes up by itself.
  await phone.setOffline(false);
  await waitSynced(page);

  // The secretary sees the escalated issue, assigns it to the worker and resolves it.
  const secPhone = await newPhone(browser);
  const sec = await secPhone.newPage();
  await login(sec, server.url, "secretary");
  await waitSynced(sec);
  await sec.goto(secondUrl);
  await sec.getByRole("heading", { name: second.title }).waitFor();
  await sec.getByText(REASON).first().waitFor();
  await confirmAction(sec, "受理");
  await sec.getByText("已受理").first().waitFor();
  await sec.getByRole("button", { name: "派遣处置" }).click();
  const workerName = (await page.locator(".who").textContent()).trim();
  const option = sec.getByLabel("处置人").locator("option", { hasText: workerName });
  await sec.getByLabel("处置人").selectOption(await option.first().getAttribute("value"));
  await sec.getByRole("button", { name: "确认" }).click();
  await sec.getByText("处置中").first().waitFor();
  await confirmAction(sec, "办结", ["办结说明", "已联系物业维修公共管道"]);
  await sec.getByText("已办结待核查").first().waitFor();
  await waitSynced(sec);
  await sec.screenshot({ path: screenshotPath("day-secretary-resolved") });

  // The worker's phone shows it resolved after its next sync.
  await page.goto(secondUrl);
  await page.getByRole("button", { name: "立即同步" }).click();
  await page.getByText("已办结待核查").first().waitFor({ timeout: 30000 });
  await page.getByText("已联系物业维修公共管道").waitFor();
  // The staff above a worker reach his phone (not residents), so the timeline names the
  // secretary who accepted and assigned it rather than showing her id.
  const secretaryName = (await sec.locator(".who").textContent()).trim();
  await page.getByText(secretaryName).first().waitFor();
  assert.equal(await page.getByText("demo-community-secretary").count(), 0, "no raw person ids on screen");
  await page.screenshot({ path: screenshotPath("day-worker-sees-resolved") });
  await secPhone.close();
  await phone.close();
});
