//! The staff web app's pages: askama templates type-checked at compile time, the message table
//! for the languages of the interface (Vietnamese by default, English), and the static assets
//! (the vendored htmx 2 build and the style sheet). The page structs hold display-ready text
//! (dates already `dd/mm/yyyy` in Asia/Ho_Chi_Minh): the web crate fills them, this crate lays
//! them out. Kept apart so that editing a template recompiles only this crate.

pub mod admin;
pub mod assets;
pub mod citizen;
pub mod counter;
pub mod i18n;
pub mod pages;
pub mod portal;
pub mod portal_text;
pub mod supervision;

pub use askama::Template;
pub use i18n::{Lang, Msg};
