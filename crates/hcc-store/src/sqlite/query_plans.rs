//! The query plans of the dossier reads, on the real schema: which index each one reads, and
//! that every index of `dossiers` is read by one (each costs an entry on every receipt).
//!
//! Nothing runs `ANALYZE`, so SQLite plans these queries by its fixed rules, the same on an
//! empty database as on a city of a million dossiers: what is planned here is what runs there.

use super::*;
use crate::model::DossierQuery;

/// An in-memory database with every migration applied.
fn schema() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("in-memory database");
    for (version, sql) in MIGRATIONS {
        conn.execute_batch(sql).unwrap_or_else(|e| panic!("migration {version}: {e}"));
    }
    conn
}

/// The plan of `sql` with `args`, its steps joined by " | ".
fn plan_of(conn: &rusqlite::Connection, sql: &str, args: &[crate::exec::Arg<'static>]) -> String {
    let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("a valid statement");
    let steps = statement
        .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
        .expect("a plan")
        .collect::<Result<Vec<_>, _>>()
        .expect("plan steps");
    steps.join(" | ")
}

/// The plan of the list's first step for `q` (one status at a time, as `list_ids_each_status`
/// runs a list of several newest first).
fn list_plan(conn: &rusqlite::Connection, q: &DossierQuery) -> String {
    let statement = list_ids_statement(q, &[], TextFilter::Index, UrgencyPart::Whole, 51);
    plan_of(conn, statement.sql(), statement.args())
}

/// The plan of one of [`other_cases`], each parameter bound to 0 (the plan does not depend on it).
fn other_plan(conn: &rusqlite::Connection, sql: &str, params: usize) -> String {
    plan_of(conn, sql, &vec![crate::exec::Arg::Int(Some(0)); params])
}

fn instant() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_760_000_000).expect("a valid instant")
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// The lists people open, each with the index it must read (or how it reads the table).
fn list_cases() -> Vec<(&'static str, DossierQuery, &'static str)> {
    let t = instant();
    let open = vec!["received".to_owned(), "in_progress".to_owned()];
    let q = DossierQuery::default;
    vec![
        // Everything, newest first: the table in id order, stopping after a page.
        ("all, newest first", q(), "SCAN d"),
        ("one status", DossierQuery { status: text("returned"), ..q() }, "COVERING INDEX dossiers_status (status=?)"),
        (
            "open ones, most urgent first",
            DossierQuery { statuses: open.clone(), by_urgency: true, ..q() },
            "COVERING INDEX dossiers_status_step_due (status=?)",
        ),
        ("one agency", DossierQuery { agency: text("A"), ..q() }, "COVERING INDEX dossiers_agency (agency_code=?)"),
        (
            "one agency, one status",
            DossierQuery { agency: text("A"), status: text("returned"), ..q() },
            "COVERING INDEX dossiers_agency_status (agency_code=? AND status=?)",
        ),
        ("one procedure", DossierQuery { procedure: text("1.0"), ..q() }, "COVERING INDEX dossiers_procedure"),
        ("one field", DossierQuery { field: text("Đất đai"), ..q() }, "COVERING INDEX dossiers_field (field=?)"),
        ("one reception point", DossierQuery { point: text("P"), ..q() }, "COVERING INDEX dossiers_point"),
        (
            "one officer's",
            DossierQuery { assignee: Some(7), ..q() },
            "COVERING INDEX dossiers_assignee (assignee_id=?)",
        ),
        (
            "one officer's open ones",
            DossierQuery { assignee: Some(7), statuses: vec!["in_progress".to_owned()], ..q() },
            "INDEX dossiers_assignee (assignee_id=?)",
        ),
        ("overdue", DossierQuery { overdue_at: Some(t), ..q() }, "dossiers_status_due (status=? AND due_at<?)"),
        (
            "due soon",
            DossierQuery { due_after: Some(t), due_before: Some(t), statuses: vec!["in_progress".to_owned()], ..q() },
            "dossiers_status_due (status=? AND due_at>? AND due_at<?)",
        ),
        (
            "stuck",
            DossierQuery { updated_before: Some(t), statuses: vec!["in_progress".to_owned()], ..q() },
            "dossiers_status_updated (status=? AND updated_at<?)",
        ),
        ("late at a period's end", DossierQuery { late_open_at: Some(t), ..q() }, "INDEX dossiers_handled_late"),
        ("received in a period", DossierQuery { received_in: Some((t, t)), ..q() }, "dossiers_received (received_at>?"),
        (
            "returned in a period",
            DossierQuery { finished_in: Some((t, t)), status: text("returned"), ..q() },
            "INDEX dossiers_status (status=?)",
        ),
        // An agency's staff see its dossiers.
        ("agency: all", DossierQuery { visible_to_agency: text("A"), ..q() }, "dossiers_agency (agency_code=?)"),
        (
            "agency: one status",
            DossierQuery { visible_to_agency: text("A"), status: text("in_progress"), ..q() },
            "COVERING INDEX dossiers_agency_status (agency_code=? AND status=?)",
        ),
        (
            "agency: inbox, most urgent first",
            DossierQuery { visible_to_agency: text("A"), statuses: open.clone(), by_urgency: true, ..q() },
            "COVERING INDEX dossiers_agency_status_step_due (agency_code=? AND status=?)",
        ),
        (
            "agency: one officer's",
            DossierQuery { visible_to_agency: text("A"), assignee: Some(7), ..q() },
            "INDEX dossiers_assignee (assignee_id=?)",
        ),
        (
            "agency: overdue",
            DossierQuery { visible_to_agency: text("A"), overdue_at: Some(t), ..q() },
            "INDEX dossiers_agency (agency_code=?)",
        ),
        // A reception point's officers see what it received.
        ("point: all", DossierQuery { visible_to_point: text("P"), ..q() }, "dossiers_point (point_code=?)"),
        (
            "point: results to hand over",
            DossierQuery { visible_to_point: text("P"), status: text("result_ready"), ..q() },
            "COVERING INDEX dossiers_point_status (point_code=? AND status=?)",
        ),
        (
            "point: most urgent first",
            DossierQuery { visible_to_point: text("P"), statuses: open, by_urgency: true, ..q() },
            "COVERING INDEX dossiers_point_status_step_due (point_code=? AND status=?)",
        ),
        // An agency that took part (liên thông) sees the dossier too.
        (
            "involved agency",
            DossierQuery { involved_agency: text("A"), ..q() },
            "dossier_agencies USING COVERING INDEX dossier_agencies_agency (agency_code=?)",
        ),
    ]
}

/// The other reads of `dossiers` by a secondary index: (name, SQL, one argument per parameter,
/// the index it must read).
fn other_cases() -> Vec<(&'static str, String, usize, &'static str)> {
    vec![
        (
            "officers' work in hand, one agency",
            format!("{OFFICERS_IN_HAND} AND d.agency_code = ? GROUP BY d.agency_code, u.username"),
            1,
            "INDEX dossiers_agency_status (agency_code=? AND status=?)",
        ),
        (
            "officers' work in hand, every agency",
            format!("{OFFICERS_IN_HAND} GROUP BY d.agency_code, u.username"),
            0,
            "INDEX dossiers_status_step_due (status=?)",
        ),
        (
            "early warnings",
            WARNING_CANDIDATES.to_owned(),
            3,
            "INDEX dossiers_status_step_due (status=? AND step_due_at<?)",
        ),
    ]
}

/// Read by queries this file does not plan, each for the reason given.
const READ_ELSEWHERE: &[(&str, &str)] = &[
    ("dossiers_open_gauges", "the dashboard's gauges name it (OPEN_GAUGES_FROM)"),
    ("sqlite_autoindex_dossiers_1", "a dossier by its code (UNIQUE)"),
    ("sqlite_autoindex_dossiers_2", "a receipt's idempotency key (UNIQUE)"),
];

#[test]
fn each_list_reads_the_index_meant_for_it() {
    let conn = schema();
    let mut wrong = Vec::new();
    for (name, q, want) in list_cases() {
        let plan = list_plan(&conn, &q);
        if !plan.contains(want) {
            wrong.push(format!("{name}: wanted {want}, planned {plan}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_other_reads_use_their_indexes() {
    let conn = schema();
    for (name, sql, params, want) in other_cases() {
        let plan = other_plan(&conn, &sql, params);
        assert!(plan.contains(want), "{name}: wanted {want}, planned {plan}");
    }
}

#[test]
fn only_the_whole_list_reads_the_table_in_order() {
    // A filter without an index would read every dossier to fill a page: only the unfiltered
    // list may scan (it stops after a page).
    let conn = schema();
    for (name, q, want) in list_cases() {
        let plan = list_plan(&conn, &q);
        let scans = plan.split(" | ").any(|step| step == "SCAN d" || step == "SCAN dossiers");
        assert_eq!(scans, want == "SCAN d", "{name}: {plan}");
    }
}

#[test]
fn every_index_of_the_dossiers_is_read_by_some_query() {
    let conn = schema();
    let mut plans: Vec<String> = list_cases().into_iter().map(|(_, q, _)| list_plan(&conn, &q)).collect();
    for (_, sql, params, _) in other_cases() {
        plans.push(other_plan(&conn, &sql, params));
    }
    let mut statement =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers'").expect("indexes");
    let indexes = statement
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .collect::<Result<Vec<_>, _>>()
        .expect("names");
    let unread: Vec<&String> = indexes
        .iter()
        .filter(|index| !READ_ELSEWHERE.iter().any(|(name, _)| name == index))
        .filter(|index| !plans.iter().any(|plan| format!("{plan} ").contains(&format!("INDEX {index} "))))
        .collect();
    assert!(unread.is_empty(), "indexes no query reads (each costs every receipt an entry): {unread:?}");
    assert!(indexes.len() >= 17, "the schema's indexes were found: {indexes:?}");
}

#[test]
fn a_new_dossier_has_no_entry_in_the_index_of_assigned_dossiers() {
    let conn = schema();
    let sql: String = conn
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'dossiers_assignee'", [], |r| r.get(0))
        .expect("the index exists");
    assert!(sql.ends_with("WHERE assignee_id IS NOT NULL"), "{sql}");
}

/// An inbox most urgent first is read a status at a time in the order of its scope's
/// (status, step due time) index, the dated part then the undated one, each stopping after a
/// page: no sort of every open dossier (`most_urgent_each_status`) — also when a search of common
/// words tests each row it reads (`TextFilter::Scan`).
#[test]
fn an_inbox_most_urgent_first_reads_its_index_in_order() {
    let conn = schema();
    let common = hcc_domain::text::search_words("nguyen van");
    let one = vec!["in_progress".to_owned()];
    let q = DossierQuery::default;
    let cases = [
        ("agency", DossierQuery { visible_to_agency: text("A"), ..q() }, "dossiers_agency_status_step_due"),
        ("point", DossierQuery { visible_to_point: text("P"), ..q() }, "dossiers_point_status_step_due"),
        ("supervisor", q(), "dossiers_status_step_due"),
    ];
    for (scope, base, index) in cases {
        for after in [None, Some((1_760_000_000_000_000, 42)), Some((i64::MAX, 42))] {
            let query = DossierQuery { statuses: one.clone(), by_urgency: true, after_urgency: after, ..base.clone() };
            for part in [UrgencyPart::Dated, UrgencyPart::Undated] {
                for (filter, words) in [(TextFilter::Index, &[][..]), (TextFilter::Scan, &common[..])] {
                    let statement = list_ids_statement(&query, words, filter, part, 51);
                    let plan = plan_of(&conn, statement.sql(), statement.args());
                    let case = format!("{scope} {part:?} {after:?} {filter:?}");
                    assert!(plan.contains(index), "{case}: {plan}");
                    assert!(!plan.contains("TEMP B-TREE"), "{case} sorts: {plan}");
                }
            }
        }
    }
}
