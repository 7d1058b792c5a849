//! API tests: each test starts the real server on a free loopback port with a fresh SQLite
//! file in a temporary folder, and talks to it over HTTP.

mod admin_accounts;
mod admin_api;
mod admin_grids;
mod admin_handover;
mod admin_init;
mod admin_support;
mod admin_cli;
mod attribution;
mod auth;
mod bad_input;
mod concurrent;
mod crash;
mod deletes;
mod demo;
mod epoch;
mod event_times;
mod expiry;
mod health;
mod import;
mod import_bench;
mod helpers;
mod integrity;
mod load;
mod login_guard;
mod openapi;
mod own_writes;
mod pull;
mod push;
mod restore;
mod scope;
mod security;
mod settle;
mod static_files;
mod throughput;
mod world;
