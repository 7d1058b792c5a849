// Photos in real Chromium against the real server: a grid worker, offline, reports an
// issue with a photo (a generated PNG fed through the file input), reloads offline and
// still sees it; back online the photo uploads after the records (the sync line goes from
// "照片 1 张待上传" to nothing); the community secretary's phone pulls, shows the thumbnail
// and opens the full photo. Screenshots at 360 px: the form with the photo, the timeline
// with its thumbnail, the full photo.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, waitForServiceWorker,
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

const TITLE = "东门井盖破裂,行人易踩空";

/** A 1200×900 PNG drawn in the page (red field, white square): a stand-in for a camera shot. */
async function generatedPng(page) {
  const url = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 1200; c.height = 900;
    const g = c.getContext("2d");
    g.fillStyle = "#b71c1c"; g.fillRect(0, 0, 1200, 900);
    g.fillStyle = "#fff"; g.fillRect(400, 250, 400, 400);
    return c.toDataURL("image/png");
  });
  return Buffer.from(url.split(",")[1], "base64");
}

/** Resolves once an <img> matched by `selector` has loaded real pixels. */
async function imageLoaded(page, selector, timeout = 20000) {
  await page.waitForFunction((sel) => {
    const img = document.querySelector(sel);
    return img && img.complete && img.naturalWidth > 0;
  }, selector, { timeout });
}

async function syncLine(page) {
  return page.locator(".sync-summary").textContent();
}

test("a photo taken offline is kept, uploads last, and the secretary's phone shows it", async () => {
  const worker = await newPhone(browser);
  const secretary = await newPhone(browser);
  const a = await worker.newPage();
  const b = await secretary.newPage();
  await login(a, server.url, "gridworker");
  await login(b, server.url, "secretary");
  await Promise.all([waitSynced(a), waitSynced(b)]);
  await waitForServiceWorker(a);
  const png = await generatedPng(a);

  // Offline, the worker reports an issue with a photo.
  await worker.setOffline(true);
  await a.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "问题" }).click();
  await a.getByRole("link", { name: "上报问题" }).click();
  await a.getByRole("heading", { name: "上报问题" }).waitFor();
  await a.getByLabel("问题类别").selectOption({ label: "基础设施" });
  await a.getByLabel("问题标题").fill(TITLE);
  await a.locator('input[data-photo-input="album"]').setInputFiles({ name: "jinggai.png", mimeType: "image/png", buffer: png });
  await imageLoaded(a, ".photo-picker img.photo-thumb");
  const stage = a.getByRole("combobox", { name: "照片内容" });
  assert.equal(await stage.inputValue(), "before", "a report's photo shows the problem as found");
  await a.locator(".photo-picker").scrollIntoViewIfNeeded();
  await a.screenshot({ path: screenshotPath("photos-new-issue") });
  await a.getByRole("button", { name: "保存并上报" }).click();
  await a.getByRole("heading", { name: TITLE }).waitFor();
  const issueUrl = a.url();
  await imageLoaded(a, ".issue-timeline img.photo-thumb");
  assert.match(await syncLine(a), /照片 1 张待上传/);

  // A reload without signal: the photo is still there, from the phone's own store.
  await a.reload();
  await a.getByRole("heading", { name: TITLE }).waitFor();
  await imageLoaded(a, ".issue-timeline img.photo-thumb");
  assert.match(await syncLine(a), /照片 1 张待上传/);
  await a.locator(".issue-timeline").scrollIntoViewIfNeeded();
  await a.screenshot({ path: screenshotPath("photos-timeline") });

  // Signal back: records first, then the photo; the sync line stops counting it.
  await worker.setOffline(false);
  await a.getByRole("button", { name: "立即同步" }).click();
  await a.waitForFunction(() => {
    const el = document.querySelector(".sync-summary");
    return el && el.dataset.pending === "0" && el.dataset.photos === "0" && /上次同步/.test(el.textContent);
  }, null, { timeout: 30000 });
  assert.doesNotMatch(await syncLine(a), /张待上传/);

  // The secretary's phone pulls the issue, shows the thumbnail and opens the full photo.
  await b.getByRole("button", { name: "立即同步" }).click();
  await waitSynced(b);
  await b.goto(issueUrl);
  await b.getByRole("heading", { name: TITLE }).waitFor();
  await imageLoaded(b, ".issue-timeline img.photo-thumb");
  await b.locator(".photo-open").first().click();
  await b.getByRole("dialog", { name: "照片" }).waitFor();
  await imageLoaded(b, ".photo-view img.photo-full");
  const size = await b.locator(".photo-view img.photo-full").evaluate((img) => [img.naturalWidth, img.naturalHeight]);
  assert.deepEqual(size, [1200, 900], "the full photo, not the thumbnail (under 1600 px, so not resized)");
  await b.screenshot({ path: screenshotPath("photos-full") });
  await b.getByRole("button", { name: "关闭" }).click();
  await b.getByRole("dialog", { name: "照片" }).waitFor({ state: "detached" });
});
