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
        // Back to the state before migration 0003: no index, no phone in the searchable text.
        let undo = match b.name {
            "sqlite" => {
                "DROP TRIGGER dossiers_fts_insert; DROP TRIGGER dossiers_fts_update; DROP TRIGGER dossiers_fts_delete;
                 DROP TABLE dossiers_fts;"
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
