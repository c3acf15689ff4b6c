//! Which required papers a dossier must carry at receipt (thành phần hồ sơ), case by case.
//!
//! Many procedures publish their papers per case ("a) Đối với trường hợp cấp lại Giấy chứng nhận bị
//! mất:", "Trường hợp 2: …"): the applicant is in one case and hands in that case's papers, not all.
//! The rule: every mandatory paper common to all cases ([`RequiredDocument::group`] `None`), plus
//! every mandatory paper of **one** case — the case the officer names, or else a case whose
//! mandatory papers were all handed in. Conditional papers ("nếu có") are never required.

use super::{Procedure, RequiredDocument};
use crate::text::fold;

/// The case named at receipt is not one of the procedure's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("thủ tục {code} không có trường hợp «{case}»")]
    UnknownCase { code: String, case: String },
}

/// What [`check_documents`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentCheck<'a> {
    /// The applicant's case: the one named, or else the first case whose mandatory papers were all
    /// handed in. `None` when the procedure has no cases, or when none is complete (then `missing`
    /// holds the papers of the case closest to complete).
    pub case: Option<&'a str>,
    /// Mandatory papers not handed in, in published order: the common ones, then those of `case`
    /// (or of the closest case). Empty when the dossier is complete.
    pub missing: Vec<&'a RequiredDocument>,
}

impl DocumentCheck<'_> {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The case headings of a procedure, in published order, each once. Empty when every paper is
/// common.
pub fn cases(procedure: &Procedure) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for g in procedure.documents.iter().filter_map(|d| d.group.as_deref()) {
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// Finds the case `name` designates: its heading exactly, or the same heading once folded
/// (diacritics, case and spacing ignored).
fn find_case<'a>(all: &[&'a str], name: &str) -> Option<&'a str> {
    let name = name.trim();
    all.iter().copied().find(|c| *c == name).or_else(|| {
        let folded = fold(name);
        all.iter().copied().find(|c| fold(c) == folded)
    })
}

/// Checks the papers handed in (`provided`, by [`RequiredDocument::no`]) against the rule of this
/// module. `case` is the applicant's case if the officer named it (blank = not named); a name that
/// is not one of the procedure's cases is an error, also for a procedure without cases.
pub fn check_documents<'a>(
    procedure: &'a Procedure,
    provided: &[u32],
    case: Option<&str>,
) -> Result<DocumentCheck<'a>, CaseError> {
    let missing_of = |group: Option<&str>| -> Vec<&'a RequiredDocument> {
        procedure
            .documents
            .iter()
            .filter(|d| d.mandatory && d.group.as_deref() == group && !provided.contains(&d.no))
            .collect()
    };
    let all = cases(procedure);
    let named = match case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(name) => Some(
            find_case(&all, name)
                .ok_or_else(|| CaseError::UnknownCase { code: procedure.code.clone(), case: name.to_owned() })?,
        ),
        None => None,
    };
    let common = missing_of(None);
    let (case, of_case) = match named {
        Some(c) => (Some(c), missing_of(Some(c))),
        None if all.is_empty() => (None, Vec::new()),
        None => {
            let per_case: Vec<(&str, Vec<&RequiredDocument>)> = all.iter().map(|c| (*c, missing_of(Some(c)))).collect();
            match per_case.iter().find(|(_, m)| m.is_empty()) {
                Some((c, _)) => (Some(*c), Vec::new()),
                // None complete: report the closest case (fewest papers missing; the first on a tie).
                None => (None, per_case.into_iter().min_by_key(|(_, m)| m.len()).map(|(_, m)| m).unwrap_or_default()),
            }
        }
    };
    let mut missing = common;
    missing.extend(of_case);
    missing.sort_by_key(|d| d.no);
    Ok(DocumentCheck { case, missing })
}

/// The mandatory papers missing from a dossier: the common ones and those of the applicant's case
/// (see [`check_documents`], which also tells which case was taken).
pub fn missing_documents<'a>(
    procedure: &'a Procedure,
    provided: &[u32],
    case: Option<&str>,
) -> Result<Vec<&'a RequiredDocument>, CaseError> {
    check_documents(procedure, provided, case).map(|c| c.missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ClockPolicy, OnlineLevel};

    fn doc(no: u32, mandatory: bool, group: Option<&str>) -> RequiredDocument {
        RequiredDocument {
            no,
            name: format!("Giấy tờ {no}"),
            originals: 1,
            copies: 0,
            mandatory,
            template: None,
            group: group.map(str::to_owned),
        }
    }

    fn procedure(documents: Vec<RequiredDocument>) -> Procedure {
        Procedure {
            code: "1.000001".into(),
            version: 1,
            name: "Thử".into(),
            field: String::new(),
            level: String::new(),
            levels: Vec::new(),
            applicants: String::new(),
            competent_agency: String::new(),
            executing_agency: String::new(),
            channels: Vec::new(),
            documents,
            steps: Vec::new(),
            results: Vec::new(),
            conditions: String::new(),
            legal_basis: Vec::new(),
            online_level: OnlineLevel::None,
            clock_policy: ClockPolicy::default(),
            max_new_appointments: 1,
            extension_cap: None,
            steps_text: String::new(),
            decision: String::new(),
            valid_from: None,
            valid_until: None,
            source_url: None,
        }
    }

    fn nos(docs: &[&RequiredDocument]) -> Vec<u32> {
        docs.iter().map(|d| d.no).collect()
    }

    const A: &str = "a) Đối với trường hợp mất:";
    const B: &str = "b) Đối với trường hợp hỏng:";

    /// 1 common mandatory, 2 common conditional; case A: 3 mandatory, 4 conditional; case B: 5 and 6
    /// mandatory.
    fn two_cases() -> Procedure {
        procedure(vec![
            doc(1, true, None),
            doc(2, false, None),
            doc(3, true, Some(A)),
            doc(4, false, Some(A)),
            doc(5, true, Some(B)),
            doc(6, true, Some(B)),
        ])
    }

    #[test]
    fn single_case_needs_every_mandatory_paper() {
        let p = procedure(vec![doc(1, true, None), doc(2, false, None), doc(3, true, None)]);
        assert!(cases(&p).is_empty());
        let check = check_documents(&p, &[1, 3], None).expect("no case named");
        assert!(check.is_complete());
        assert_eq!(check.case, None);
        assert_eq!(nos(&missing_documents(&p, &[], None).expect("ok")), vec![1, 3]);
        assert_eq!(nos(&missing_documents(&p, &[2, 3], None).expect("ok")), vec![1]);
        assert!(missing_documents(&p, &[1, 2, 3], None).expect("ok").is_empty());
        // A blank case is no case.
        assert!(missing_documents(&p, &[1, 3], Some("  ")).expect("ok").is_empty());
    }

    #[test]
    fn no_documents_nothing_missing() {
        let p = procedure(Vec::new());
        assert!(missing_documents(&p, &[], None).expect("ok").is_empty());
    }

    #[test]
    fn lists_cases_in_order_once() {
        assert_eq!(cases(&two_cases()), vec![A, B]);
    }

    #[test]
    fn one_complete_case_is_enough() {
        let p = two_cases();
        let a = check_documents(&p, &[1, 3], None).expect("ok");
        assert_eq!((a.case, a.missing.len()), (Some(A), 0));
        let b = check_documents(&p, &[1, 5, 6], None).expect("ok");
        assert_eq!((b.case, b.missing.len()), (Some(B), 0));
        // Both complete: the first one is taken.
        let both = check_documents(&p, &[1, 3, 5, 6], None).expect("ok");
        assert_eq!((both.case, both.missing.len()), (Some(A), 0));
    }

    #[test]
    fn common_papers_are_needed_whatever_the_case() {
        let p = two_cases();
        let check = check_documents(&p, &[3], None).expect("ok");
        assert_eq!(check.case, Some(A));
        assert_eq!(nos(&check.missing), vec![1]);
        assert_eq!(nos(&missing_documents(&p, &[5, 6], Some(B)).expect("ok")), vec![1]);
    }

    #[test]
    fn no_complete_case_reports_the_closest() {
        let p = two_cases();
        // B lacks one paper, A lacks one: tie, the first case (A) is reported.
        let check = check_documents(&p, &[1, 5], None).expect("ok");
        assert_eq!(check.case, None);
        assert_eq!(nos(&check.missing), vec![3]);
        // Nothing at all: the common paper and the smallest case's papers.
        assert_eq!(nos(&missing_documents(&p, &[], None).expect("ok")), vec![1, 3]);
        // Only conditional papers handed in.
        assert_eq!(nos(&missing_documents(&p, &[2, 4], None).expect("ok")), vec![1, 3]);
        // One paper of each case: a tie, A is reported; one paper of B only: B is closer.
        let p =
            procedure(vec![doc(1, true, Some(A)), doc(2, true, Some(A)), doc(3, true, Some(B)), doc(4, true, Some(B))]);
        assert_eq!(nos(&missing_documents(&p, &[1, 3], None).expect("ok")), vec![2]);
        assert_eq!(nos(&missing_documents(&p, &[3], None).expect("ok")), vec![4]);
    }

    #[test]
    fn a_named_case_is_checked_alone() {
        let p = two_cases();
        // Case A is complete, but B was named.
        assert_eq!(nos(&missing_documents(&p, &[1, 3], Some(B)).expect("ok")), vec![5, 6]);
        let check = check_documents(&p, &[1, 3, 5], Some(B)).expect("ok");
        assert_eq!((check.case, nos(&check.missing)), (Some(B), vec![6]));
        assert!(missing_documents(&p, &[1, 3], Some(A)).expect("ok").is_empty());
    }

    #[test]
    fn a_case_is_named_by_its_heading_folded() {
        let p = two_cases();
        let check = check_documents(&p, &[1, 5, 6], Some("  B) DOI VOI TRUONG HOP   HONG: ")).expect("found");
        assert_eq!((check.case, check.missing.len()), (Some(B), 0));
    }

    #[test]
    fn unknown_case_is_an_error() {
        let p = two_cases();
        assert_eq!(
            missing_documents(&p, &[1, 3], Some("c) Trường hợp khác")),
            Err(CaseError::UnknownCase { code: "1.000001".into(), case: "c) Trường hợp khác".into() })
        );
        // A procedure without cases has no case to name.
        let single = procedure(vec![doc(1, true, None)]);
        assert!(matches!(missing_documents(&single, &[1], Some(A)), Err(CaseError::UnknownCase { .. })));
    }

    #[test]
    fn a_case_without_mandatory_papers_is_complete_at_once() {
        // Case A only has a conditional paper: an applicant in case A needs just the common papers.
        let p = procedure(vec![doc(1, true, None), doc(2, false, Some(A)), doc(3, true, Some(B))]);
        let check = check_documents(&p, &[1], None).expect("ok");
        assert_eq!((check.case, check.missing.len()), (Some(A), 0));
        assert_eq!(nos(&missing_documents(&p, &[1], Some(B)).expect("ok")), vec![3]);
    }

    #[test]
    fn unknown_numbers_and_duplicates_do_not_count() {
        let p = two_cases();
        assert_eq!(nos(&missing_documents(&p, &[99, 99, 2], None).expect("ok")), vec![1, 3]);
    }

    /// Exhaustive: every subset of the six papers, every way to name a case; the result must be
    /// exactly the rule written out by hand.
    #[test]
    fn every_subset_follows_the_rule() {
        let p = two_cases();
        for mask in 0u32..64 {
            let provided: Vec<u32> = (1..=6).filter(|n| mask & (1 << (n - 1)) != 0).collect();
            let has = |n: u32| provided.contains(&n);
            let common: Vec<u32> = [1].into_iter().filter(|n| !has(*n)).collect();
            let a: Vec<u32> = [3].into_iter().filter(|n| !has(*n)).collect();
            let b: Vec<u32> = [5, 6].into_iter().filter(|n| !has(*n)).collect();
            let join = |x: &[u32]| [common.clone(), x.to_vec()].concat();
            assert_eq!(nos(&missing_documents(&p, &provided, Some(A)).expect("A")), join(&a), "{provided:?} A");
            assert_eq!(nos(&missing_documents(&p, &provided, Some(B)).expect("B")), join(&b), "{provided:?} B");
            let inferred = check_documents(&p, &provided, None).expect("none");
            let expected_case = if a.is_empty() {
                Some(A)
            } else if b.is_empty() {
                Some(B)
            } else {
                None
            };
            assert_eq!(inferred.case, expected_case, "{provided:?}");
            let expected = match expected_case {
                Some(_) => common.clone(),
                None if b.len() < a.len() => join(&b),
                None => join(&a),
            };
            assert_eq!(nos(&inferred.missing), expected, "{provided:?}");
        }
    }
}
