//! Documents: written with their event in one transaction, reused from the applicant's vault,
//! never lost — on both backends.

use super::*;

pub(super) fn scan_document(sha: &str, item_no: Option<u32>, valid_until: Option<Timestamp>) -> NewDocument {
    NewDocument {
        kind: DocumentKind::Input,
        item_no,
        sha256: sha.into(),
        file_name: "Đơn đề nghị.pdf".into(),
        media_type: "application/pdf".into(),
        size: 1234,
        pages: Some(2),
        copy_kind: lifecycle::CopyKind::Original,
        owner_id: "001099012345".into(),
        valid_until,
        reused_from: None,
    }
}

/// Decides a document action as `who` and writes it with its document change.
async fn document_action(
    b: &TestStore,
    d: &DossierRecord,
    who: &Actor,
    action: Action,
    change: DocumentChange,
    at: Timestamp,
) -> Result<DossierRecord, StoreError> {
    let p = procedure();
    let cal = calendar();
    let involved = vec![AGENCY.to_owned()];
    let ctx = Context { procedure: &p, calendar: &cal, actor: who, involved_agencies: &involved, now: at };
    let tr = lifecycle::decide(&d.state, &action, &ctx).unwrap();
    b.store.apply_document_transition(d, &tr.state, &tr.event, &event_actor(who), change, at).await
}

fn facts(doc: &NewDocument, id: Option<i64>) -> lifecycle::DocumentFacts {
    lifecycle::DocumentFacts {
        id,
        item_no: doc.item_no,
        sha256: doc.sha256.clone(),
        file_name: doc.file_name.clone(),
        media_type: doc.media_type.clone(),
        size: doc.size,
        pages: doc.pages,
        copy_kind: doc.copy_kind,
        reused_from: None,
    }
}

#[tokio::test]
async fn documents_are_written_with_their_event_reused_and_never_lost() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let reception = actor(1, Role::Reception, None, Some(POINT));
        let admin = actor(9, Role::Admin, None, None);
        let mut nd = new_dossier(t, "Nguyễn Văn An", None);
        nd.state.unscanned_items = vec![1];
        let (d, _) = s.create_dossier(nd, t).await.unwrap();
        assert_eq!(d.state.unscanned_items, vec![1]);
        let sha = "ab".repeat(32);
        let doc = scan_document(&sha, Some(1), None);
        let at = t + jiff::SignedDuration::from_mins(5);
        let action = Action::Digitize { document: facts(&doc, None) };
        let d = document_action(b, &d, &reception, action, DocumentChange::Add(doc.clone()), at).await.unwrap();
        let stored = s.get_dossier(&d.code).await.unwrap().unwrap();
        assert!(stored.state.unscanned_items.is_empty(), "{}", b.name);
        let docs = s.documents_of(d.id).await.unwrap();
        assert_eq!(docs.len(), 1);
        let first = &docs[0];
        assert_eq!((first.event_seq, first.item_no, first.pages), (2, Some(1), Some(2)));
        assert_eq!(first.digitized_unit, POINT);
        assert_eq!(first.dossier_code, d.code);
        let events = s.events(d.id).await.unwrap();
        assert_eq!(events[1].action, "digitize");
        assert_eq!(events[1].details["sha256"], sha);
        assert_eq!(s.get_blob(&sha).await.unwrap().unwrap().size, 1234);

        // A stale write of a document changes nothing: neither the event nor the document.
        let doc2 = scan_document(&"cd".repeat(32), Some(1), None);
        let stale = document_action(
            b,
            &stored.clone(),
            &reception,
            Action::Digitize { document: facts(&doc2, None) },
            DocumentChange::Add(doc2.clone()),
            at,
        )
        .await;
        assert!(stale.is_ok());
        let again = document_action(
            b,
            &stored,
            &reception,
            Action::Digitize { document: facts(&doc2, None) },
            DocumentChange::Add(doc2),
            at,
        )
        .await;
        assert!(matches!(again, Err(StoreError::Conflict)), "{}: {again:?}", b.name);
        assert_eq!(s.documents_of(d.id).await.unwrap().len(), 2);

        // The applicant's store: the same owner's documents from any dossier, one per object.
        let (d2, _) = s.create_dossier(new_dossier(at, "Nguyễn Văn An", None), at).await.unwrap();
        let reused = NewDocument { reused_from: Some(first.id), ..doc.clone() };
        let d2 = document_action(
            b,
            &d2,
            &reception,
            Action::Digitize { document: facts(&reused, None) },
            DocumentChange::Add(reused),
            at,
        )
        .await
        .unwrap();
        let vault = s.vault("001099012345", at, 50).await.unwrap();
        assert_eq!(vault.len(), 2, "{}: one per stored object: {vault:?}", b.name);
        assert!(s.vault("079099000001", at, 50).await.unwrap().is_empty());
        let expired = scan_document(&"ef".repeat(32), None, Some(at - jiff::SignedDuration::from_hours(1)));
        let d2 = document_action(
            b,
            &d2,
            &reception,
            Action::Digitize { document: facts(&expired, None) },
            DocumentChange::Add(expired),
            at,
        )
        .await
        .unwrap();
        assert_eq!(s.vault("001099012345", at, 50).await.unwrap().len(), 2, "expired papers are not offered");

        // Documents are never changed or removed behind the application's back.
        let tamper = format!("UPDATE documents SET sha256 = '{}' WHERE id = {}", "00".repeat(32), first.id);
        assert!(s.execute_raw(&tamper).await.is_err(), "{}", b.name);
        assert!(s.execute_raw(&format!("DELETE FROM documents WHERE id = {}", first.id)).await.is_err());

        // An administrator's deletion is marked and recorded; the object stays while used.
        let del = |doc: &DocumentRecord| Action::DeleteDocument {
            document: lifecycle::DocumentFacts {
                id: Some(doc.id),
                ..facts(&scan_document(&doc.sha256, doc.item_no, None), None)
            },
            reason: "Quét nhầm".into(),
            item_keeps_a_file: true,
            retention_over: false,
        };
        let current = s.get_dossier(&d.code).await.unwrap().unwrap();
        document_action(
            b,
            &current,
            &admin,
            del(first),
            DocumentChange::Delete { id: first.id, reason: "Quét nhầm".into() },
            at,
        )
        .await
        .unwrap();
        let marked = s.get_document(first.id).await.unwrap().unwrap();
        assert!(marked.deleted_at.is_some());
        assert_eq!(marked.delete_reason.as_deref(), Some("Quét nhầm"));
        assert!(s.get_blob(&sha).await.unwrap().is_some(), "still used by the reuse");
        let reuse_doc = s.documents_of(d2.id).await.unwrap().into_iter().find(|x| x.sha256 == sha).unwrap();
        assert_eq!(reuse_doc.reused_from, Some(first.id));
        document_action(
            b,
            &d2,
            &admin,
            del(&reuse_doc),
            DocumentChange::Delete { id: reuse_doc.id, reason: "Quét nhầm".into() },
            at,
        )
        .await
        .unwrap();
        assert!(s.get_blob(&sha).await.unwrap().is_none(), "{}: unused object marked gone", b.name);
        let listed: Vec<String> = s.blobs_after("", 100).await.unwrap().into_iter().map(|x| x.sha256).collect();
        assert!(!listed.contains(&sha));
        assert_eq!(listed.len(), 2);
        assert_eq!(s.events(d.id).await.unwrap().last().unwrap().action, "delete_document");
        assert!(s.verify().await.unwrap().problems.is_empty());

        // Upload rules per procedure.
        assert_eq!(s.file_rules("1.000001").await.unwrap(), None);
        let rules =
            FileRules { max_bytes: 1000, media_types: vec!["pdf".into(), "jpeg".into()], archive_years: Some(20) };
        s.set_file_rules("1.000001", &rules).await.unwrap();
        assert_eq!(s.file_rules("1.000001").await.unwrap(), Some(rules));
    })
    .await;
}
