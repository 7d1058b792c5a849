// Accessibility in real Chromium: axe-core (WCAG 2.1 A + AA rules) over every screen a
// grid worker and a community secretary use, forms open, data loaded. Any serious or
// critical finding fails the test with the rule and the elements (support.cjs
// `checkA11y`). The roster edit forms are checked in roster_edit.test.cjs.
"use strict";

const { test, before, after } = require("node:test");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, checkA11y,
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

test("the grid worker's screens have no serious or critical axe finding", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await page.getByRole("heading", { name: "今日待办" }).waitFor();
  await waitSynced(page);
  await checkA11y(page, "today");

  await nav(page).getByRole("link", { name: "问题" }).click();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  await page.locator(".issue-row").first().waitFor();
  await checkA11y(page, "issue list");
  await page.locator(".issue-row a, a.issue-row").first().click();
  await page.locator("#issue-title").waitFor();
  await checkA11y(page, "issue detail");
  await page.getByRole("button", { name: "修改问题信息" }).click();
  await page.getByRole("form", { name: "修改问题信息" }).waitFor();
  await checkA11y(page, "issue edit form");
  await page.goto(server.url + "/issues/new");
  await page.getByRole("heading", { name: "上报问题" }).waitFor();
  await checkA11y(page, "new issue");

  await nav(page).getByRole("link", { name: "走访" }).click();
  await page.getByRole("heading", { name: "待走访" }).waitFor();
  await page.locator(".due-row").first().waitFor();
  await checkA11y(page, "visits");
  await page.goto(server.url + "/visits/new");
  await page.locator("form").first().waitFor();
  await checkA11y(page, "new visit");

  await nav(page).getByRole("link", { name: "住户台账" }).click();
  await page.getByRole("heading", { name: "网格住户台账" }).waitFor();
  await page.locator(".hh-item").first().waitFor();
  await checkA11y(page, "roster");
  await page.locator(".hh-item").first().click();
  await page.locator("#household-title").waitFor();
  await checkA11y(page, "household");

  await nav(page).getByRole("link", { name: "设置" }).click();
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await checkA11y(page, "settings");
  await page.goto(server.url + "/conflicts");
  await page.locator("#conflicts-title").waitFor();
  await checkA11y(page, "conflicts");
  await context.close();
});

test("the secretary's dashboard has no serious or critical axe finding", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "统计" }).click();
  await page.getByRole("heading", { name: "统计分析" }).waitFor();
  await page.getByRole("img", { name: /网格内办结 \d+%/ }).waitFor();
  await checkA11y(page, "dashboard");
  await context.close();
});
