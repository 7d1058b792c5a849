// An issue reported by mistake is withdrawn (撤回) by its reporter before anyone accepts
// it — a step with a reason, kept in the history — never deleted (hardening finding 1).
// The secretary then sees it as 已撤回 with the reason, and cannot act on it.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced } = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("the reporter withdraws a duplicate report with a reason; it stays, withdrawn, for everyone", async () => {
  const page = await (await newPhone(browser)).newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  const title = "重复上报的路灯问题";
  await page.goto(server.url + "/issues/new");
  await page.getByLabel("问题类别").selectOption({ label: "安全隐患" });
  await page.getByLabel("问题标题").fill(title);
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  const url = page.url();

  // A reason is required.
  await page.getByRole("button", { name: "撤回" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByText("请填写原因").waitFor();
  await page.getByLabel("原因").fill("与已上报的问题重复");
  await page.screenshot({ path: screenshotPath("withdraw-form") });
  await page.getByRole("button", { name: "确认" }).click();
  await page.locator(".pill.status-withdrawn").waitFor();
  assert.equal((await page.locator(".pill.status-withdrawn").textContent()).trim(), "已撤回");
  await page.getByText("与已上报的问题重复").first().waitFor();
  assert.equal(await page.getByRole("button", { name: "撤回" }).count(), 0, "withdrawn once");
  await waitSynced(page);
  await page.screenshot({ path: screenshotPath("withdraw-done"), fullPage: true });

  // The secretary sees it withdrawn, with its history, and nothing to do but comment.
  const sec = await (await newPhone(browser)).newPage();
  await login(sec, server.url, "secretary");
  await waitSynced(sec);
  await sec.goto(url);
  await sec.locator(".pill.status-withdrawn").waitFor();
  await sec.getByText("与已上报的问题重复").first().waitFor();
  for (const step of ["受理", "退回", "提级上报", "督办"]) {
    assert.equal(await sec.getByRole("button", { name: step, exact: true }).count(), 0, step);
  }
  assert.equal(await sec.getByRole("button", { name: "办理意见" }).count(), 1);
});
