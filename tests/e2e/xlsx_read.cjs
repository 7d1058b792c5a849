//! Reads an .xlsx the tests downloaded: a zip's central directory, each part inflated
//! with node's zlib, and a worksheet's cells resolved through the shared strings — enough
//! to check what a secretary would see in Excel without adding a spreadsheet library.

const zlib = require("node:zlib");

/** The zip's parts by name, as UTF-8 text. */
function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip: no end of central directory");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const parts = {};
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error("broken central directory");
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLen = bytes.readUInt16LE(at + 28);
    const extraLen = bytes.readUInt16LE(at + 30);
    const commentLen = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataAt, dataAt + size);
    parts[name] = (method === 8 ? zlib.inflateRawSync(raw) : raw).toString("utf8");
    at += 46 + nameLen + extraLen + commentLen;
  }
  return parts;
}

const unescape = (s) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The first worksheet as rows of cell texts, and whether any cell is a formula. */
function firstSheet(bytes) {
  const parts = unzip(bytes);
  const shared = [...(parts["xl/sharedStrings.xml"] || "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")),
  );
  const sheet = parts["xl/worksheets/sheet1.xml"];
  if (!sheet) throw new Error("no first worksheet");
  const rows = [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
      const inner = c[2] || "";
      const value = (inner.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
      if (/t="s"/.test(c[1])) return shared[Number(value)];
      const inline = inner.match(/<t[^>]*>([\s\S]*?)<\/t>/);
      return inline ? unescape(inline[1]) : value === undefined ? "" : unescape(value);
    }),
  );
  return { rows, formulas: /<f[ >]/.test(sheet), frozen: /<pane [^>]*state="frozen"/.test(sheet), filter: /<autoFilter /.test(sheet) };
}

module.exports = { unzip, firstSheet };
