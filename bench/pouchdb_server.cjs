// The PouchDB side's server for the bench: express-pouchdb (the CouchDB HTTP API that
// PouchDB replicates from) over PouchDB's in-memory adapter, plus the bench page and
// PouchDB's browser builds under /_bench/ on the same origin (no CORS in the way).
// Prints "listening at URL" once ready. Run by bench/sync.cjs.
"use strict";

const path = require("node:path");
const express = require("express");
const PouchDB = require("pouchdb").plugin(require("pouchdb-adapter-memory"));

const MemPouch = PouchDB.defaults({ adapter: "memory" });
const app = express();
app.use("/_bench", express.static(path.join(__dirname, "pouchdb_page")));
app.use("/_bench/lib", express.static(path.join(path.dirname(require.resolve("pouchdb/package.json")), "dist")));
app.use(
  "/",
  require("express-pouchdb")(MemPouch, {
    mode: "minimumForPouchDB",
    inMemoryConfig: true,
    logPath: path.join(process.env.WANGGE_BENCH_WORK || "/tmp", "pouchdb-server.log"),
  })
);
const server = app.listen(0, "127.0.0.1", () => {
  console.log(`PouchDB server listening at http://127.0.0.1:${server.address().port}/`);
});
