//! HCC's domain: the rules of the one-stop mechanism as pure Rust.
//!
//! Nothing here performs I/O, reads the clock or knows about HTTP or SQL: callers pass `now` and the
//! data in, and get decisions and values out. That keeps every rule testable exhaustively.

pub mod actor;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod citizen;
pub mod code;
pub mod feedback;
pub mod identity;
pub mod index;
pub mod lifecycle;
pub mod org;
pub mod permission;
pub mod stats;
pub mod status;
pub mod text;
pub mod time_limit;
pub mod warning;

pub use time_limit::{TimeLimit, TimeUnit};
