//! Static files served under `/static/`, compiled into the binary: nothing is fetched at build
//! or run time.

/// htmx 2.0.11 (BSD Zero-Clause licence, see `static/htmx.LICENSE`), from the npm package
/// `htmx.org@2.0.11`, file `dist/htmx.min.js`, unmodified.
pub const HTMX_JS: &str = include_str!("../static/htmx-2.0.11.min.js");
/// Where the page links htmx from; the name carries the version, so it may be cached for ever.
pub const HTMX_PATH: &str = "/static/htmx-2.0.11.min.js";

/// The style sheet of the staff app.
pub const APP_CSS: &str = include_str!("../static/app.css");
/// Where pages link the style sheet from (bump the query when the sheet changes).
pub const APP_CSS_PATH: &str = "/static/app.css?v=3";
