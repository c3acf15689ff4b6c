//! The `hcc` program as a library: the command line, the demo city and the reference data, so
//! that integration tests and benchmarks drive exactly what the binary runs.

pub mod calendar_cmd;
pub mod catalog_cmd;
pub mod cli;
pub mod config;
pub mod demo;
pub mod jobs;
pub mod jobs_cmd;
pub mod reference;
pub mod stats_cmd;
pub mod user_cmd;
pub mod verify_files;
