//! Search: names, codes, ID numbers and phones found without diacritics, and the migration that
//! indexes dossiers written before it — on both backends.

use super::*;

/// Three applicants; returns their dossiers in the order received.
async fn searchable_dossiers(s: &Store, t: Timestamp) -> Vec<DossierRecord> {
    let people = [
        ("Nguyễn Văn Đức", "001099012345", Some("0912345678")),
        ("NGUYỄN THỊ HOA", "001199054321", Some("0987654321")),
        ("Trần Đức Nguyên", "034089000111", None),
    ];
    let mut out = Vec::new();
    for (name, id, phone) in people {
        let mut d = new_dossier(t, name, None);
        d.applicant.id_number = id.into();
        d.applicant.phone = phone.map(Into::into);
        out.push(s.create_dossier(d, t).await.unwrap().0);
    }
    out
}

async fn search(s: &Store, text: &str, extra: DossierQuery) -> Vec<i64> {
    let q = DossierQuery { text: Some(text.into()), limit: 50, ..extra };
    s.list_dossiers(&q).await.unwrap().items.iter().map(|d| d.id).collect()
}

#[tokio::test]
async fn full_text_search_finds_names_codes_ids_and_phones() {
    each(async |b| {
        let s = &b.store;
        let d = searchable_dossiers(s, monday_morning()).await;
        let (duc, hoa, nguyen) = (d[0].id, d[1].id, d[2].id);
        let all = DossierQuery::default;
        let cases: Vec<(String, Vec<i64>)> = vec![
            // Names without diacritics, in any case, with Đ folded to d.
            ("nguyen van duc".into(), vec![duc]),
            ("NGUYỄN VĂN ĐỨC".into(), vec![duc]),
            ("Nguyen  Thi Hoa".into(), vec![hoa]),
            ("van duc".into(), vec![duc]),
            ("duc".into(), vec![nguyen, duc]),
            // A name prefix.
            ("nguy".into(), vec![nguyen, hoa, duc]),
            ("nguy ho".into(), vec![hoa]),
            // The code, whole or its tail (date and sequence), or the sequence's prefix.
            (d[1].code.clone(), vec![hoa]),
            (d[1].code.split_once('-').unwrap().1.to_owned(), vec![hoa]),
            (d[1].code.to_lowercase(), vec![hoa]),
            // ID numbers and phones, whole or their beginning.
            ("034089000111".into(), vec![nguyen]),
            ("0011".into(), vec![hoa]),
            ("0987654321".into(), vec![hoa]),
            ("091234".into(), vec![duc]),
            // Nothing, and input that would be query syntax.
            ("le van an".into(), vec![]),
            ("\"nguyen\" OR 1=1 --".into(), vec![]),
            ("nguyen:* | duc".into(), vec![nguyen, duc]),
        ];
        for (text, expected) in cases {
            assert_eq!(search(s, &text, all()).await, expected, "{}: {text:?}", b.name);
        }
        // Punctuation alone filters nothing.
        assert_eq!(search(s, " -- ", all()).await.len(), 3, "{}", b.name);
        // Combined with the other filters.
        assert!(
            search(s, "nguy", DossierQuery { visible_to_agency: Some(OTHER_AGENCY.into()), ..all() }).await.is_empty()
        );
        assert_eq!(search(s, "nguy", DossierQuery { status: Some("received".into()), ..all() }).await.len(), 3);
        assert!(search(s, "nguy", DossierQuery { status: Some("returned".into()), ..all() }).await.is_empty());
        // And with the cursor: newest first, page by page, no repeats.
        let mut q = DossierQuery { text: Some("nguy".into()), limit: 2, ..all() };
        let first = s.list_dossiers(&q).await.unwrap();
        assert_eq!(first.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![nguyen, hoa], "{}", b.name);
        q.after_id = first.next_after;
        let second = s.list_dossiers(&q).await.unwrap();
        assert_eq!(second.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![duc], "{}", b.name);
        assert_eq!(second.next_after, None);
    })
    .await;
}

#[tokio::test]
async fn the_search_migration_indexes_existing_dossiers() {
    each(async |b| {
        let s = &b.store;
        let d = searchable_dossiers(s, monday_morning()).await;
        // Back to the state before migration 0003: no index, no phone in the searchable text
        // (on SQLite, 0019 then drops the insert trigger 0003 makes: both run again).
        let undo = match b.name {
            "sqlite" => {
                "DROP TRIGGER dossiers_fts_update; DROP TRIGGER dossiers_fts_delete; DROP TABLE dossiers_fts;
                 DELETE FROM schema_migrations WHERE version = 19;"
            }
            _ => "DROP INDEX dossiers_search; ALTER TABLE dossiers DROP COLUMN search_vector;",
        };
        s.execute_raw(undo).await.unwrap();
        s.execute_raw(
            "UPDATE dossiers SET search_text = substr(search_text, 1, length(search_text) - length(applicant_phone) - 1)
              WHERE applicant_phone IS NOT NULL;
             DELETE FROM schema_migrations WHERE version = 3;",
        )
        .await
        .unwrap();
        s.migrate().await.unwrap();
        assert_eq!(search(s, "0987654321", DossierQuery::default()).await, vec![d[1].id], "{}", b.name);
        assert_eq!(search(s, "nguyen van duc", DossierQuery::default()).await, vec![d[0].id], "{}", b.name);
        // Written after the migration: indexed in the same transaction.
        let later =
            s.create_dossier(new_dossier(monday_morning(), "Lê Văn Ánh", None), monday_morning()).await.unwrap().0;
        assert_eq!(search(s, "le van anh", DossierQuery::default()).await, vec![later.id], "{}", b.name);
    })
    .await;
}

#[tokio::test]
async fn a_compacted_search_index_finds_what_it_found_before_and_what_comes_after() {
    each(async |b| {
        let s = &b.store;
        let d = searchable_dossiers(s, monday_morning()).await;
        let before = search(s, "nguy", DossierQuery::default()).await;
        assert!(!before.is_empty(), "{}", b.name);
        s.compact_search_index().await.unwrap();
        assert_eq!(search(s, "nguy", DossierQuery::default()).await, before, "{}", b.name);
        assert_eq!(search(s, "0987654321", DossierQuery::default()).await, vec![d[1].id], "{}", b.name);
        let later =
            s.create_dossier(new_dossier(monday_morning(), "Lê Văn Ánh", None), monday_morning()).await.unwrap().0;
        assert_eq!(search(s, "le van anh", DossierQuery::default()).await, vec![later.id], "{}", b.name);
        // Twice is harmless.
        s.compact_search_index().await.unwrap();
        assert_eq!(search(s, "le van anh", DossierQuery::default()).await, vec![later.id], "{}", b.name);
    })
    .await;
}

/// Every page of a search, following the cursor, in the given order.
async fn all_pages(s: &Store, text: &str, (by_urgency, statuses): ListOrder) -> Vec<i64> {
    let statuses = statuses.iter().map(|s| s.to_string()).collect();
    let mut q = DossierQuery { text: Some(text.into()), limit: 3, by_urgency, statuses, ..Default::default() };
    let mut ids = Vec::new();
    loop {
        let page = s.list_dossiers(&q).await.unwrap();
        ids.extend(page.items.iter().map(|d| d.id));
        let Some(last) = page.items.last().filter(|_| page.next_after.is_some()) else { break };
        q.after_id = Some(last.id);
        q.after_urgency = Some((hcc_store::model::urgency_key(last.state.step_due_at), last.id));
    }
    ids
}

/// A list's order: most urgent first or not, and the statuses it lists (none: all).
type ListOrder = (bool, &'static [&'static str]);

/// The orders a search is listed in: newest first, most urgent first, and most urgent first
/// among the open statuses (an inbox: SQLite reads it a status at a time).
const ORDERS: [ListOrder; 3] = [(false, &[]), (true, &[]), (true, &["received", "in_progress"])];

/// A search whose words are common reads the list in order and tests each dossier instead of
/// asking the full-text index: the same dossiers, in the same order, page by page.
#[tokio::test]
async fn common_words_are_scanned_with_the_same_results_as_the_index() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let mut made = Vec::new();
        let names = [
            "Nguyễn Văn Đức",
            "Nguyễn Thị Vân",
            "Công ty TNHH Xây-dựng (An Phát)",
            "Trần Văn Nguyên",
            "Lê Nguyễn Văn Anh",
        ];
        for i in 0..30 {
            let mut d = new_dossier(t + jiff::SignedDuration::from_mins(i), names[i as usize % names.len()], None);
            d.applicant.id_number = format!("0010990{i:05}");
            let (d, _) = s.create_dossier(d, t).await.unwrap();
            // Some in handling, some without a step due time (last in the urgency order).
            if i % 4 == 1 {
                assign(b, &d, t + jiff::SignedDuration::from_hours(1)).await.unwrap();
            }
            made.push(d.id);
        }
        let undated = made.iter().filter(|id| *id % 7 == 0).map(i64::to_string).collect::<Vec<_>>().join(", ");
        s.execute_raw(&format!("UPDATE dossiers SET step_due_at = NULL WHERE id IN ({undated})")).await.unwrap();
        let queries =
            ["nguyen van", "van", "xay-dung an", "dung-xay", "nguyen van duc", "0010990000", "h26", "an phat", "zzz"];
        let mut indexed = Vec::new();
        for q in queries {
            for order in ORDERS {
                indexed.push(all_pages(s, q, order).await);
            }
        }
        // Query i's pages are at 3i (newest first), 3i + 1 (most urgent first) and 3i + 2 (most
        // urgent first among the open statuses, which here are every dossier's).
        assert_eq!(indexed[0].len(), 24, "{}: 'nguyen van' finds both words anywhere", b.name);
        assert_eq!(indexed[1].len(), 24, "{}", b.name);
        assert_eq!(indexed[6].len(), 6, "{}: a word's tokens side by side", b.name);
        assert!(indexed[9].is_empty(), "{}: … and in order", b.name);
        assert_eq!(indexed[12].len(), 6, "{}", b.name);
        assert!(indexed[24].is_empty(), "{}", b.name);
        for (i, q) in queries.iter().enumerate() {
            assert_eq!(indexed[3 * i + 2], indexed[3 * i + 1], "{}: {q} a status at a time", b.name);
        }
        // Scanned always, a few rows at a time: the cursor moves on between reads.
        s.set_search_scan(0, 5);
        let mut scanned = Vec::new();
        for q in queries {
            for order in ORDERS {
                scanned.push(all_pages(s, q, order).await);
            }
        }
        assert_eq!(scanned, indexed, "{}", b.name);
    })
    .await;
}
