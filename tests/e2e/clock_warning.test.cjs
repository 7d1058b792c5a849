// A phone whose clock is far off is told so (hardening finding 6): the server places a
// step dated more than five minutes from its own clock at its receipt, so the worker must
// know to set the time right. A phone with the right time sees no warning.
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

test("a phone three hours fast is asked to set its clock; one on time is not", async () => {
  const fast = await newPhone(browser);
  const page = await fast.newPage();
  await page.clock.setFixedTime(Date.now() + 3 * 3600 * 1000);
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  const warning = page.getByRole("alert").filter({ hasText: "手机时间" });
  await warning.waitFor();
  assert.match(await warning.textContent(), /手机时间比实际快了约3小时，请在手机设置中校准时间/);
  await page.screenshot({ path: screenshotPath("clock-warning") });
  await fast.close();

  const onTime = await newPhone(browser);
  const ok = await onTime.newPage();
  await login(ok, server.url, "gridworker");
  await waitSynced(ok);
  assert.equal(await ok.getByText("手机时间").count(), 0);
  await onTime.close();
});
