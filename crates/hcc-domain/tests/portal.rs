//! The national-portal importer against the real data set (199 procedures scraped from the portal,
//! `shared/data/procedures/national-portal`), and the catalog-file importer for our own format.

use hcc_domain::catalog::import::{ImportError, SourceFormat, detect_format, parse_catalog_file, validate_procedure};
use hcc_domain::catalog::portal::{Parsed, ProblemKind, parse_portal_json};
use hcc_domain::catalog::{
    Channel, Level, OnlineLevel, ProcedureStep, StepRole, cases, check_documents, missing_documents,
};
use hcc_domain::{TimeLimit, TimeUnit};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/procedures/national-portal");

fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for ministry in std::fs::read_dir(DATA).expect("the national-portal data folder exists").flatten() {
        for file in std::fs::read_dir(ministry.path()).expect("ministry folder").flatten() {
            if file.path().extension().is_some_and(|e| e == "json") {
                out.push(file.path());
            }
        }
    }
    out.sort();
    out
}

fn path_of(code: &str) -> PathBuf {
    files()
        .into_iter()
        .find(|p| p.file_stem().is_some_and(|s| s == code))
        .unwrap_or_else(|| panic!("no file for {code}"))
}

fn load(code: &str) -> Parsed {
    let text = std::fs::read_to_string(path_of(code)).expect("readable");
    parse_portal_json(&text).expect("parses")
}

fn wd(n: u32) -> Option<TimeLimit> {
    Some(TimeLimit::new(n, TimeUnit::WorkingDays))
}

fn days(n: u32) -> Option<TimeLimit> {
    Some(TimeLimit::new(n, TimeUnit::Days))
}

fn count(parsed: &Parsed, kind: ProblemKind) -> usize {
    parsed.problems.iter().filter(|p| p.kind == kind).count()
}

#[test]
fn data_path_resolves() {
    assert!(Path::new(DATA).is_dir(), "{DATA} should be the shared data folder");
}

#[test]
fn every_file_imports() {
    let files = files();
    assert_eq!(files.len(), 199);
    let mut all_timed = 0;
    let mut channels = 0;
    let mut timed_channels = 0;
    let mut documents = 0;
    let mut results_with_code = 0;
    let mut with_cases = 0;
    let mut kinds: BTreeMap<ProblemKind, usize> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let parsed = parse_portal_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let p = &parsed.procedure;
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("file name");
        assert_eq!(p.code, stem);
        assert!(!p.name.is_empty(), "{stem}: name");
        assert!(!p.field.is_empty(), "{stem}: field");
        assert!(!p.level.is_empty(), "{stem}: level");
        assert!(!p.decision.is_empty(), "{stem}: decision");
        assert!(p.source_url.as_deref().is_some_and(|u| u.starts_with("https://dichvucong.gov.vn/")), "{stem}: url");
        assert!(!p.steps_text.is_empty(), "{stem}: steps text");
        assert_ne!(p.conditions, "Không có thông tin");
        assert!(!p.channels.is_empty(), "{stem}: at least one channel");
        for (i, d) in p.documents.iter().enumerate() {
            assert_eq!(d.no as usize, i + 1, "{stem}: documents numbered from 1");
            let reported = parsed.problems.iter().any(|pr| {
                pr.kind == ProblemKind::ZeroQuantity && pr.message.starts_with(&format!("giấy tờ số {} ", d.no))
            });
            assert!(d.originals + d.copies > 0 || reported, "{stem}: document {} has a quantity", d.no);
        }
        // No channel twice; online level follows the channels.
        let mut kinds_seen: Vec<Channel> = p.channels.iter().map(|c| c.kind).collect();
        kinds_seen.dedup();
        assert_eq!(kinds_seen.len(), p.channels.len());
        let online = p.channel(Channel::Online).is_some();
        assert_eq!(p.online_level == OnlineLevel::None, !online, "{stem}: online level");
        // Every problem names a field and says something.
        for problem in &parsed.problems {
            assert!(!problem.field.is_empty() && !problem.message.is_empty());
            *kinds.entry(problem.kind).or_default() += 1;
        }

        channels += p.channels.len();
        timed_channels += p.channels.iter().filter(|c| c.time_limit.is_some()).count();
        if p.channels.iter().all(|c| c.time_limit.is_some()) {
            all_timed += 1;
        }
        documents += p.documents.len();
        with_cases += usize::from(!cases(p).is_empty());
        // A case heading is also listed in the groups, with exactly the papers carrying it.
        for case in cases(p) {
            let carrying: Vec<u32> =
                p.documents.iter().filter(|d| d.group.as_deref() == Some(case)).map(|d| d.no).collect();
            assert!(
                parsed.document_groups.iter().any(|g| g.heading == case && g.documents == carrying),
                "{stem}: case {case}"
            );
        }
        results_with_code += p.results.iter().filter(|r| r.code.is_some()).count();
    }
    // Measured on the July 2026 scrape; a change here means the reader changed.
    assert_eq!(all_timed, 184, "procedures with a time limit on every channel");
    assert_eq!((channels, timed_channels), (572, 539));
    assert_eq!(documents, 1358);
    assert_eq!(results_with_code, 237);
    // Untimed channels are all explained: "Không có thông tin", zero, or a bare number that
    // contradicts the description or the steps.
    let untimed = kinds.get(&ProblemKind::TimeLimitMissing).copied().unwrap_or(0)
        + kinds.get(&ProblemKind::TimeLimitUnreadable).copied().unwrap_or(0)
        + kinds.get(&ProblemKind::TimeLimitConflict).copied().unwrap_or(0);
    assert_eq!(untimed, channels - timed_channels);
    // Cases with only conditional papers (flattened sub-cases): reported, receipt cannot check them.
    assert_eq!(kinds.get(&ProblemKind::CaseWithoutMandatoryPapers), Some(&8));
    assert_eq!(with_cases, 39, "procedures whose papers are published per case");
    assert_eq!(kinds.get(&ProblemKind::LegalRowUnsplit), None, "every legal-basis row split");
    assert_eq!(kinds.get(&ProblemKind::TemplateUnsplit), None, "every template file split");
}

#[test]
fn land_registration_1_012753() {
    let parsed = load("1.012753");
    let p = &parsed.procedure;
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(p.name.starts_with("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận"));
    assert_eq!(p.field, "Đất đai");
    assert_eq!(p.level, "Cấp xã");
    assert_eq!(p.levels, vec![Level::Commune]);
    assert_eq!(p.decision, "3380/QĐ-BNNMT");
    assert_eq!(p.executing_agency, "Chủ tịch UBND cấp xã");
    assert!(p.competent_agency.starts_with("Ủy ban nhân dân cấp tỉnh"));
    assert!(p.applicants.contains("Doanh nghiệp có vốn đầu tư nước ngoài"));
    assert_eq!(p.conditions, "");
    assert!(p.steps_text.starts_with("Bước 1: Người yêu cầu đăng ký nộp hồ sơ"));
    assert_eq!(p.online_level, OnlineLevel::Partial);

    let kinds: Vec<Channel> = p.channels.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, vec![Channel::Online, Channel::Post, Channel::Counter]);
    assert_eq!(p.channel(Channel::Online).map(|c| c.time_limit), Some(wd(17)));
    assert_eq!(p.channel(Channel::Post).map(|c| c.time_limit), Some(wd(30)));
    assert_eq!(p.channel(Channel::Counter).map(|c| c.time_limit), Some(wd(20)));
    for c in &p.channels {
        assert!(c.fee.starts_with("Miễn phí (Theo quy định của Luật phí và lệ phí"), "{}", c.fee);
        assert_eq!(c.fee_vnd, Some(0));
        assert_eq!(c.description, "");
    }

    let docs: Vec<(u32, u32, u32, bool)> =
        p.documents.iter().map(|d| (d.no, d.originals, d.copies, d.mandatory)).collect();
    assert_eq!(
        docs,
        vec![
            (1, 1, 1, true),
            (2, 1, 1, false), // "… đối với trường hợp thực hiện thủ tục … thông qua người đại diện"
            (3, 1, 1, false), // "(nếu có)"
            (4, 1, 1, false), // "… đối với trường hợp có nhiều người chung quyền …"
            (5, 1, 1, true),
            (6, 1, 1, true),
            (7, 1, 1, false), // "(nếu có)"
        ]
    );
    assert_eq!(p.documents[0].name, "Đơn đăng ký đất đai, tài sản gắn liền với đất");
    assert!(p.documents[2].name.starts_with("Sơ đồ hoặc bản trích lục"), "bullet stripped");
    assert_eq!(p.documents[5].template.as_deref(), Some("Mẫu số 15d"));
    assert!(parsed.document_groups.is_empty());

    let results: Vec<(&str, Option<&str>)> = p.results.iter().map(|r| (r.name.as_str(), r.code.as_deref())).collect();
    assert_eq!(
        results,
        vec![
            ("Quyết định hình thức sử dụng đất.", Some("KQ.G10.000935")),
            ("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất.", Some("KQ.G10.001148")),
        ]
    );

    let legal: Vec<(&str, &str)> = p.legal_basis.iter().map(|l| (l.number.as_str(), l.title.as_str())).collect();
    assert_eq!(
        legal,
        vec![
            ("101/2024/NĐ-CP", "Nghị định 101/2024/NĐ-CP"),
            (
                "118/2025/NĐ-C",
                "Thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và cổng Dịch vụ công quốc gia"
            ),
            (
                "151/2025/NĐ-CP",
                "Quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp trong lĩnh vực đất đai"
            ),
            ("43/2024/QH15", "Luật số 43/2024/QH15 ngày 29/6/2024"),
            (
                "226/2025/NĐ-CP",
                "Sửa đổi, bổ sung một số điều của các nghị định quy định chi tiết thi hành Luật Đất đai"
            ),
            ("31/2024/QH15", "Luật Đất đai ngày 18/01/2024"),
        ]
    );
}

#[test]
fn calendar_days_1_012805() {
    let p = load("1.012805").procedure;
    assert_eq!(p.channel(Channel::Online).map(|c| c.time_limit), Some(days(50)));
    assert_eq!(p.channel(Channel::Post).map(|c| c.time_limit), Some(days(50)));
    assert_eq!(p.channel(Channel::Counter).map(|c| c.time_limit), Some(days(60)));
    assert_eq!(p.results[0].code.as_deref(), Some("KQ.G10.001144"));
}

#[test]
fn fees_with_amounts() {
    let parsed = load("1.008891");
    for c in &parsed.procedure.channels {
        assert_eq!(c.fee, "300,000 VNĐ (Theo quy định cụ thể của Bộ Tài chính.)");
        assert_eq!(c.fee_vnd, Some(300_000));
        assert_eq!(c.time_limit, wd(6));
    }
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);

    let parsed = load("1.012906");
    let online = parsed.procedure.channel(Channel::Online).expect("online");
    assert_eq!(online.fee, "300,000 Việt Nam Đồng (Phí thực hiện là 300.000 đồng/chứng chỉ)");
    assert_eq!(online.fee_vnd, Some(300_000));

    // "45 VNĐ" is kept as published and flagged.
    let parsed = load("1.013217");
    assert!(parsed.procedure.channels.iter().all(|c| c.fee_vnd == Some(45) && c.fee.starts_with("45 VNĐ (")));
    assert_eq!(count(&parsed, ProblemKind::FeeSuspicious), 3);
}

#[test]
fn several_rows_for_one_channel_5_003809() {
    let parsed = load("5.003809");
    let p = &parsed.procedure;
    // The first row of each channel (task appraisal, 15 days) is kept …
    assert_eq!(p.channels.len(), 3);
    for c in &p.channels {
        assert_eq!(c.time_limit, days(15));
        assert_eq!(c.description, "Thời gian thẩm định nhiệm vụ quy hoạch đô thị và nông thôn");
        assert_eq!(c.fee, "Không có thông tin");
        assert_eq!(c.fee_vnd, None);
    }
    // … and the second rows (plan appraisal, 20 working days) are reported with their text.
    let dups: Vec<&str> = parsed
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::DuplicateChannelRow)
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(dups.len(), 3);
    assert!(dups.iter().all(|m| m.contains("20 Ngày làm việc") && m.contains("Thời gian thẩm định quy hoạch")));
    assert_eq!(count(&parsed, ProblemKind::FeeUnknown), 3);
    assert_eq!(count(&parsed, ProblemKind::InvalidCode), 1, "5.xxxxxx is outside the national code types");
    assert_eq!(count(&parsed, ProblemKind::NoDocuments), 1);
}

#[test]
fn bare_numbers_without_unit() {
    // "17" everywhere; the steps text states "17 ngày làm việc".
    let parsed = load("1.009755");
    assert!(parsed.procedure.channels.iter().all(|c| c.time_limit == wd(17)));
    assert_eq!(count(&parsed, ProblemKind::TimeLimitUnitInferred), 3);

    // "1" for counter and post while the description says "03 ngày làm việc": no limit.
    let parsed = load("1.009671");
    let p = &parsed.procedure;
    assert_eq!(p.channel(Channel::Counter).map(|c| c.time_limit), Some(None));
    assert_eq!(p.channel(Channel::Post).map(|c| c.time_limit), Some(None));
    assert_eq!(p.channel(Channel::Online).map(|c| c.time_limit), Some(wd(3)));
    assert_eq!(count(&parsed, ProblemKind::TimeLimitConflict), 2);

    // "1" while a single step takes "03 ngày làm việc": no limit.
    let parsed = load("1.009647");
    assert!(parsed.procedure.channels.iter().all(|c| c.time_limit.is_none()));
    assert_eq!(count(&parsed, ProblemKind::TimeLimitConflict), 3);

    // "1" online, nothing to check it against: one working day assumed, reported.
    let parsed = load("1.012791");
    let p = &parsed.procedure;
    assert_eq!(p.channel(Channel::Online).map(|c| c.time_limit), Some(wd(1)));
    assert_eq!(p.channel(Channel::Post).map(|c| c.time_limit), Some(wd(30)));
    let assumed: Vec<_> = parsed.problems.iter().filter(|p| p.kind == ProblemKind::TimeLimitUnitAssumed).collect();
    assert_eq!(assumed.len(), 1);
    assert!(assumed[0].message.starts_with("Trực tuyến: thời hạn «1»"));

    // "0": no limit.
    let parsed = load("1.115148");
    assert!(parsed.procedure.channels.iter().all(|c| c.time_limit.is_none()));
    assert_eq!(count(&parsed, ProblemKind::TimeLimitUnreadable), 3);
}

#[test]
fn no_information_5_002581() {
    let parsed = load("5.002581");
    for c in &parsed.procedure.channels {
        assert_eq!(c.time_limit, None);
        assert_eq!(c.fee, "Không có thông tin");
        assert_eq!(c.fee_vnd, None);
        assert_eq!(c.description, "không quy định");
    }
    assert_eq!(count(&parsed, ProblemKind::TimeLimitMissing), 3);
    // The portal's "Mô tả" box has real text here: reported, not silently dropped.
    assert_eq!(count(&parsed, ProblemKind::NotImported), 1);
}

#[test]
fn documents_in_groups_1_012786() {
    let parsed = load("1.012786");
    let p = &parsed.procedure;
    assert_eq!(p.documents.len(), 5);
    // Each paper belongs to its case and is required in it, unless it is conditional ("(2) Mảnh trích
    // đo … đối với trường hợp người sử dụng đất có nhu cầu …").
    let (a, b) = ("a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất:", "b) Đối với trường hợp mất Trang bổ sung:");
    let read: Vec<(u32, bool, Option<&str>)> =
        p.documents.iter().map(|d| (d.no, d.mandatory, d.group.as_deref())).collect();
    assert_eq!(
        read,
        vec![(1, false, Some(a)), (2, true, Some(a)), (3, true, Some(b)), (4, true, Some(b)), (5, false, Some(b))]
    );
    assert_eq!(cases(p), vec![a, b]);
    // Receipt: one complete case is enough; the papers of the other case are not asked for.
    assert_eq!(check_documents(p, &[2], None).map(|c| (c.case, c.missing.len())), Ok((Some(a), 0)));
    assert_eq!(check_documents(p, &[3, 4], None).map(|c| (c.case, c.missing.len())), Ok((Some(b), 0)));
    let nos = |case| missing_documents(p, &[1, 3], case).map(|m| m.iter().map(|d| d.no).collect::<Vec<_>>());
    assert_eq!(nos(None), Ok(vec![2]), "closest case");
    assert_eq!(nos(Some(b)), Ok(vec![4]));
    let groups: Vec<(&str, &[u32])> =
        parsed.document_groups.iter().map(|g| (g.heading.as_str(), g.documents.as_slice())).collect();
    assert_eq!(
        groups,
        vec![
            ("a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất:", &[1, 2][..]),
            ("b) Đối với trường hợp mất Trang bổ sung:", &[3, 4, 5][..]),
        ]
    );
    assert_eq!(p.documents[2].name, "(2) Bản gốc Giấy chứng nhận đã cấp.");
    assert_eq!((p.documents[2].originals, p.documents[2].copies), (1, 0));
    assert_eq!((p.documents[4].originals, p.documents[4].copies), (0, 1));
    assert_eq!(p.documents[1].template.as_deref(), Some("Mẫu số 18"));
}

#[test]
fn one_paper_per_case_1_014632() {
    // Seven cases, one certificate each; the certificate of case 2 repeats its case in brackets
    // ("(trường hợp có nhà ở nhưng diện tích … thấp hơn 15m2 sàn/người)"), which is no condition.
    let parsed = load("1.014632");
    let p = &parsed.procedure;
    assert_eq!(cases(p).len(), 7);
    assert!(p.documents.iter().all(|d| d.mandatory && d.group.is_some()));
    assert_eq!(count(&parsed, ProblemKind::CaseWithoutMandatoryPapers), 0);
    let check = check_documents(p, &[2], None).expect("no case named");
    assert_eq!((check.case, check.missing.len()), (cases(p).get(1).copied(), 0));
    let nothing = check_documents(p, &[], None).expect("no case named");
    assert_eq!((nothing.case, nothing.missing.iter().map(|d| d.no).collect::<Vec<_>>()), (None, vec![1]));
}

#[test]
fn a_lone_heading_is_no_case_1_012903() {
    let parsed = load("1.012903");
    assert_eq!(parsed.document_groups.len(), 1);
    assert!(cases(&parsed.procedure).is_empty());
    let mandatory = parsed.procedure.documents.iter().filter(|d| d.mandatory).count();
    assert_eq!(mandatory, 7, "all but the building permit (\"đối với trường hợp phải cấp giấy phép\")");
}

#[test]
fn template_files_and_glued_counts() {
    // Form files glued to the name: "…dự án đầu tưMẫu I.1.17.docxMẫu I.1.18.docx1 bản chính".
    let p = load("1.009665").procedure;
    assert_eq!(p.documents[0].name, "Văn bản đề nghị cấp lại hoặc hiệu đính");
    assert_eq!(p.documents[0].template.as_deref(), Some("Mẫu I.1.17.docx; Mẫu I.1.18.docx"));

    // "theo Mẫu số 181 bản chính,1 bản sao" is "Mẫu số 18" + "1 bản chính,1 bản sao".
    let parsed = load("1.012782");
    let form = parsed
        .procedure
        .documents
        .iter()
        .find(|d| d.name.starts_with("Đơn đăng ký biến động"))
        .expect("the application form");
    assert!(form.name.ends_with("theo Mẫu số 18"), "{}", form.name);
    assert_eq!((form.originals, form.copies), (1, 1));
    assert_eq!(form.template.as_deref(), Some("Mẫu số 18"));
    assert_eq!(count(&parsed, ProblemKind::DocumentCountSplit), 1);
}

#[test]
fn levels_as_published() {
    let mut several = 0;
    let mut unknown = 0;
    for path in files() {
        let parsed = parse_portal_json(&std::fs::read_to_string(path).expect("readable")).expect("parses");
        let p = &parsed.procedure;
        let labels = p.level.split(',').count();
        if labels > 1 {
            several += 1;
        }
        if p.level.contains("Cơ quan khác") {
            unknown += 1;
            assert_eq!(count(&parsed, ProblemKind::UnknownLevel), 1);
            assert_eq!(p.levels.len(), labels - 1);
        } else {
            assert_eq!(p.levels.len(), labels, "{}", p.level);
        }
    }
    assert_eq!((several, unknown), (33, 16));
}

// ---- our own format ----

#[test]
fn own_format_round_trip() {
    let original = load("1.012753").procedure;
    let json = serde_json::to_string_pretty(&original).expect("serializes");
    assert_eq!(detect_format(&serde_json::from_str(&json).expect("json")), Some(SourceFormat::Own));
    let back = parse_catalog_file("1.012753.json", json.as_bytes()).expect("imports");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].procedure, original);
    assert!(back[0].problems.is_empty(), "{:?}", back[0].problems);

    // {"procedures": [...]} and a bare array, with a byte-order mark.
    let second = load("1.012805").procedure;
    let wrapped = serde_json::json!({ "procedures": [&original, &second] }).to_string();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(wrapped.as_bytes());
    let back = parse_catalog_file("catalog.json", &bytes).expect("imports");
    assert_eq!(back.iter().map(|p| &p.procedure).collect::<Vec<_>>(), vec![&original, &second]);
    let array = serde_json::to_string(&vec![&original, &second]).expect("serializes");
    assert_eq!(parse_catalog_file("catalog.json", array.as_bytes()).expect("imports").len(), 2);
}

#[test]
fn every_portal_procedure_survives_our_format() {
    for path in files() {
        let parsed = parse_portal_json(&std::fs::read_to_string(&path).expect("readable")).expect("parses");
        let json = serde_json::to_vec(&parsed.procedure).expect("serializes");
        let back = parse_catalog_file("x.json", &json).expect("imports");
        assert_eq!(back[0].procedure, parsed.procedure, "{}", path.display());
        // What validation finds is what the portal import already reported.
        for problem in &back[0].problems {
            let explained = match problem.field.as_str() {
                "code" => parsed.problems.iter().any(|p| p.kind == ProblemKind::InvalidCode),
                f if f.starts_with("documents[") => parsed.problems.iter().any(|p| p.kind == ProblemKind::ZeroQuantity),
                f if f.ends_with(".time_limit") => parsed.problems.iter().any(|p| {
                    matches!(
                        p.kind,
                        ProblemKind::TimeLimitMissing
                            | ProblemKind::TimeLimitConflict
                            | ProblemKind::TimeLimitUnreadable
                    )
                }),
                _ => false,
            };
            assert!(explained, "{}: {problem}", path.display());
        }
    }
}

#[test]
fn portal_files_go_through_the_catalog_importer() {
    let bytes = std::fs::read(path_of("1.012753")).expect("readable");
    let parsed = parse_catalog_file("1.012753.json", &bytes).expect("imports");
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].procedure.code, "1.012753");
    assert_eq!(parsed[0], load("1.012753"));
}

#[test]
fn own_format_is_validated() {
    let mut p = load("1.012753").procedure;
    p.code = "7.12345".into();
    p.channels.push(p.channels[0].clone());
    p.channels[1].time_limit = None;
    p.documents[1].no = 1;
    p.documents[2].originals = 0;
    p.documents[2].copies = 0;
    p.steps = vec![
        ProcedureStep { name: "Tiếp nhận".into(), share_percent: 10, role: StepRole::Reception },
        ProcedureStep { name: "Xử lý".into(), share_percent: 80, role: StepRole::Specialist },
    ];
    p.levels.clear();
    let fields: Vec<String> = validate_procedure(&p).into_iter().map(|pr| pr.field).collect();
    assert_eq!(
        fields,
        vec![
            "code",
            "levels",
            "channels[1].time_limit",
            "channels[3].kind",
            "documents[1].no",
            "documents[2]",
            "steps",
        ]
    );

    p.channels.clear();
    let problems = validate_procedure(&p);
    assert!(problems.iter().any(|pr| pr.field == "channels" && pr.kind == ProblemKind::Invalid));
    assert!(problems.iter().any(|pr| pr.field == "online_level"));

    // The same procedure version twice in one file.
    let ok = load("1.012753").procedure;
    let json = serde_json::to_string(&vec![&ok, &ok]).expect("serializes");
    let parsed = parse_catalog_file("dup.json", json.as_bytes()).expect("imports");
    assert!(parsed[0].problems.is_empty());
    assert_eq!(parsed[1].problems.len(), 1);
    assert!(parsed[1].problems[0].message.contains("1.012753"));
}

#[test]
fn unreadable_catalog_files() {
    assert!(matches!(parse_catalog_file("a.json", b"\xff\xfe{"), Err(ImportError::NotUtf8 { position: 0, .. })));
    let err = parse_catalog_file("a.json", b"{\n  \"code\": ").expect_err("not JSON");
    assert!(matches!(err, ImportError::Json { line: 2, .. }), "{err}");
    assert!(matches!(&err, ImportError::Json { file, .. } if file == "a.json"));
    assert!(err.to_string().starts_with("không đọc được JSON (dòng 2"), "{err}");
    assert!(matches!(parse_catalog_file("a.json", b"[]"), Err(ImportError::Empty { .. })));
    assert!(matches!(parse_catalog_file("a.json", b"42"), Err(ImportError::UnknownFormat { .. })));
    assert!(matches!(parse_catalog_file("a.json", br#"{"hello": "world"}"#), Err(ImportError::UnknownFormat { .. })));
    assert!(matches!(parse_catalog_file("a.json", b"[1, 2]"), Err(ImportError::UnknownFormat { .. })));
    // A procedure missing its channels is not a procedure.
    let err = parse_catalog_file(
        "a.json",
        r#"{"procedures": [{"code": "1.000001", "name": "X", "field": "Y", "level": "Cấp tỉnh"}]}"#.as_bytes(),
    )
    .expect_err("missing channels");
    match err {
        ImportError::Procedure { index, code, message, .. } => {
            assert_eq!((index, code.as_deref()), (1, Some("1.000001")));
            assert!(message.contains("channels"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    // A portal record without its code.
    assert!(matches!(
        parse_catalog_file("a.json", br#"[{"ma_thu_tuc": "", "ten_thu_tuc": "X"}]"#),
        Err(ImportError::Portal { index: 1, .. })
    ));
}
