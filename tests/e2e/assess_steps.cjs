// Steps on the assessment page (考核) shared by the end-to-end tests that read it: open
// 我的考核 from Settings, and read a row's "count / of" figures by key.
"use strict";

const FIGURES = ["visits", "reported", "closed", "overdue", "task-reached", "task-on-time", "task-records"];

/** A row's "count / of" figures by key ("—" cells left out). */
async function figures(row) {
  return row.evaluate((tr, keys) => {
    const out = {};
    for (const key of keys) {
      const m = tr.querySelector(`td[data-figure="${key}"]`)?.textContent.match(/^(\d+) \/ (\d+)$/);
      if (m) out[key] = { count: Number(m[1]), of: Number(m[2]) };
    }
    return out;
  }, FIGURES);
}

async function openMine(page) {
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置" }).click();
  await page.locator(".assess-card").getByRole("link", { name: "我的考核" }).click();
  await page.getByRole("heading", { name: "我的考核" }).waitFor();
  await page.locator(".assess-table .person-row").waitFor();
}

module.exports = { FIGURES, figures, openMine };
