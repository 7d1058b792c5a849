//! API tests: each test starts the real server on a free loopback port with a fresh SQLite
//! file in a temporary folder, and talks to it over HTTP.

mod health;
mod helpers;
mod static_files;
