//! Acceptance (2.4.4): the records of an application and its review, the
//! attachment rules (type by extension and content, safe names), the checklist
//! pass rule, the frozen acceptance report and the retrospective.
use crate::core::i18n::K;
use crate::core::ui::Tone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest summary, note, reason or retrospective text (characters).
pub const MAX_TEXT: usize = 4000;
/// Longest stored filename (characters).
pub const MAX_FILENAME: usize = 120;

/// 2.4.4-a: the attachments every application needs at least one of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    /// The project's results (deliverables list, documents).
    Deliverable,
    TestReport,
    UserFeedback,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Deliverable, FileKind::TestReport, FileKind::UserFeedback];
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Deliverable => "deliverable",
            FileKind::TestReport => "test_report",
            FileKind::UserFeedback => "user_feedback",
        }
    }
    pub fn parse(s: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            FileKind::Deliverable => K::ProjectsAccKindDeliverable,
            FileKind::TestReport => K::ProjectsAccKindTestReport,
            FileKind::UserFeedback => K::ProjectsAccKindUserFeedback,
        }
    }
}

/// The kinds missing from `present` (what an application still needs).
pub fn missing_kinds(present: &[FileKind]) -> Vec<FileKind> {
    FileKind::ALL.into_iter().filter(|k| !present.contains(k)).collect()
}

/// One round of acceptance: applied, then passed or returned (2.4.4-b).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcceptanceStatus {
    Pending,
    Passed,
    Returned,
}

impl AcceptanceStatus {
    pub const ALL: [AcceptanceStatus; 3] = [AcceptanceStatus::Pending, AcceptanceStatus::Passed, AcceptanceStatus::Returned];
    pub fn code(self) -> &'static str {
        match self {
            AcceptanceStatus::Pending => "pending",
            AcceptanceStatus::Passed => "passed",
            AcceptanceStatus::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<AcceptanceStatus> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn key(self) -> K {
        match self {
            AcceptanceStatus::Pending => K::ProjectsAccStatusPending,
            AcceptanceStatus::Passed => K::ProjectsAccStatusPassed,
            AcceptanceStatus::Returned => K::ProjectsAccStatusReturned,
        }
    }
    pub fn tone(self) -> Tone {
        match self {
            AcceptanceStatus::Pending => Tone::Warn,
            AcceptanceStatus::Passed => Tone::Good,
            AcceptanceStatus::Returned => Tone::Bad,
        }
    }
}

/// Why an upload was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    /// An extension that is not on the list.
    Extension,
    /// The content is not what the extension says.
    Content,
}

impl FileProblem {
    pub fn key(self) -> K {
        match self {
            FileProblem::Empty => K::ProjectsAccErrFileEmpty,
            FileProblem::Extension => K::ProjectsAccErrFileType,
            FileProblem::Content => K::ProjectsAccErrFileContent,
        }
    }
}

/// The extensions accepted, for the form's `accept` attribute and the hint.
pub const ALLOWED_EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "txt", "csv", "md"];

fn extension(filename: &str) -> String {
    filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// Office Open XML: a zip archive whose directory names `[Content_Types].xml`
/// and the part folder of the application (names are stored uncompressed).
fn is_ooxml(bytes: &[u8], folder: &[u8]) -> bool {
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    bytes.starts_with(b"PK\x03\x04") && contains(b"[Content_Types].xml") && contains(folder)
}

/// 2.4.4-a: the stored content type of an upload, checked by its extension AND
/// its first bytes (a renamed executable is refused): PDF, PNG, JPEG, Word /
/// Excel / PowerPoint (zip), and plain text, CSV or Markdown (valid UTF-8).
pub fn sniff(filename: &str, bytes: &[u8]) -> Result<&'static str, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let ok = |good: bool, t: &'static str| if good { Ok(t) } else { Err(FileProblem::Content) };
    let text = || std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0);
    match extension(filename).as_str() {
        "pdf" => ok(bytes.starts_with(b"%PDF-"), "application/pdf"),
        "png" => ok(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "image/png"),
        "jpg" | "jpeg" => ok(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "image/jpeg"),
        "docx" => ok(is_ooxml(bytes, b"word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx" => ok(is_ooxml(bytes, b"xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pptx" => ok(is_ooxml(bytes, b"ppt/"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        "txt" => ok(text(), "text/plain; charset=utf-8"),
        "csv" => ok(text(), "text/csv; charset=utf-8"),
        "md" => ok(text(), "text/markdown; charset=utf-8"),
        _ => Err(FileProblem::Extension),
    }
}

/// A filename safe to store and to send back: the last path component, no
/// control characters or characters that mean something to a file system or a
/// header, no leading dots, at most `MAX_FILENAME` characters (the extension
/// kept). Chinese and other letters stay.
pub fn sanitize_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | ';' | '%') { '_' } else { c })
        .collect();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']).to_string();
    let s = if s.chars().count() > MAX_FILENAME {
        match s.rsplit_once('.') {
            Some((stem, ext)) if ext.chars().count() <= 10 => {
                let keep = MAX_FILENAME - ext.chars().count() - 1;
                format!("{}.{ext}", stem.chars().take(keep).collect::<String>())
            }
            _ => s.chars().take(MAX_FILENAME).collect(),
        }
    } else {
        s
    };
    if s.is_empty() || s.starts_with('.') { "file".to_string() } else { s }
}

/// `Content-Disposition: attachment` for a stored (already sanitised) name: an
/// ASCII fallback and the exact name as RFC 5987 `filename*`.
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut enc = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
}

/// 2.4.4-b: acceptance passes only when every checklist item is met.
pub fn checklist_passes(objectives_met: bool, quality_ok: bool, documents_complete: bool) -> bool {
    objectives_met && quality_ok && documents_complete
}

/// 2.4.4-d: the retrospective's text for searching, lower-cased (so that the
/// search is case-insensitive for every script on both databases).
pub fn search_text(went_well: &str, went_badly: &str, lessons: &str) -> String {
    [went_well, went_badly, lessons].iter().map(|s| s.trim().to_lowercase()).collect::<Vec<_>>().join("\n")
}

/// `%`, `_` and `\` in a search term match themselves (LIKE … ESCAPE '\').
pub fn like_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A stored attachment (without its content).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ProjectFile {
    pub id: i64,
    pub project_id: i64,
    pub acceptance_id: Option<i64>,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by_name: Option<String>,
}

impl ProjectFile {
    pub fn kind(&self) -> FileKind {
        FileKind::parse(&self.kind).unwrap_or(FileKind::Deliverable)
    }
    pub fn href(&self) -> String {
        format!("/files/projects/{}", self.id)
    }
}

/// "12.3 KB" style size.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// One round of acceptance with its review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Acceptance {
    pub id: i64,
    pub project_id: i64,
    pub round: i64,
    pub summary: String,
    pub status: String,
    pub applied_at: DateTime<Utc>,
    pub applied_by_name: Option<String>,
    pub objectives_met: bool,
    pub objectives_note: String,
    pub quality_ok: bool,
    pub quality_note: String,
    pub documents_complete: bool,
    pub documents_note: String,
    pub return_reason: String,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by_name: Option<String>,
    pub version: i64,
}

impl Acceptance {
    pub fn status(&self) -> AcceptanceStatus {
        AcceptanceStatus::parse(&self.status).unwrap_or(AcceptanceStatus::Pending)
    }
}

/// A round and the files it took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub acceptance: Acceptance,
    pub files: Vec<ProjectFile>,
}

/// One checklist item of the report (2.4.4-b).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckItem {
    /// "objectives", "quality" or "documents".
    pub item: String,
    pub ok: bool,
    pub note: String,
}

impl CheckItem {
    pub fn key(&self) -> K {
        match self.item.as_str() {
            "objectives" => K::ProjectsAccCheckObjectives,
            "quality" => K::ProjectsAccCheckQuality,
            _ => K::ProjectsAccCheckDocuments,
        }
    }
}

/// A deliverable listed in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportFile {
    pub kind: String,
    pub filename: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl ReportFile {
    pub fn kind(&self) -> FileKind {
        FileKind::parse(&self.kind).unwrap_or(FileKind::Deliverable)
    }
}

/// A team member as listed in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReportMember {
    pub name: String,
    pub role: String,
    pub responsibilities: String,
}

/// 2.4.4-c: the acceptance report's content, frozen as JSON when acceptance
/// passes. Data is stored as it was; labels are translated when it is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSnapshot {
    pub project_number: String,
    pub project_name: String,
    pub department_zh: String,
    pub department_en: String,
    pub manager_name: String,
    pub sponsor_name: String,
    pub objectives: String,
    pub scope_in: String,
    pub scope_out: String,
    /// Dates of the baseline in force (planned) and the tasks' actual dates.
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub currency: String,
    /// Baseline budget (BAC) and the actual cost.
    pub budget_minor: i64,
    pub actual_cost_minor: i64,
    pub spi_milli: Option<i64>,
    pub cpi_milli: Option<i64>,
    pub baseline_version: i64,
    pub round: i64,
    pub summary: String,
    pub applied_by: String,
    pub applied_at: DateTime<Utc>,
    pub deliverables: Vec<ReportFile>,
    pub checklist: Vec<CheckItem>,
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
    pub team: Vec<ReportMember>,
}

impl ReportSnapshot {
    pub fn department(&self, lang: crate::core::i18n::Lang) -> &str {
        match lang {
            crate::core::i18n::Lang::Zh => &self.department_zh,
            crate::core::i18n::Lang::En => &self.department_en,
        }
    }
}

/// "0.93" from 930; "—" when undefined.
pub fn index_text(milli: Option<i64>) -> String {
    milli
        .map(|m| {
            let hundredths = (m.max(0) + 5) / 10;
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        })
        .unwrap_or_else(|| "—".into())
}

/// The report as issued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub project_id: i64,
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub snapshot: ReportSnapshot,
}

/// 2.4.4-d: what went well, what did not, lessons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Retrospective {
    pub id: i64,
    pub project_id: i64,
    pub went_well: String,
    pub went_badly: String,
    pub lessons: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by_name: Option<String>,
}

/// A lessons-learned search hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LessonRow {
    pub id: i64,
    pub project_id: i64,
    pub project_number: String,
    pub project_name: String,
    pub department_zh: String,
    pub department_en: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub went_well: String,
    pub went_badly: String,
    pub lessons: String,
}

impl LessonRow {
    pub fn department(&self, lang: crate::core::i18n::Lang) -> &str {
        match lang {
            crate::core::i18n::Lang::Zh => &self.department_zh,
            crate::core::i18n::Lang::En => &self.department_en,
        }
    }
}

/// The paragraphs of `text` that contain `q` (case-insensitive); all of them
/// when `q` is empty. Shown under a search hit.
pub fn matching_paragraphs(text: &str, q: &str) -> Vec<String> {
    let q = q.trim().to_lowercase();
    text.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter(|p| q.is_empty() || p.to_lowercase().contains(&q))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut v = b"PK\x03\x04\x14\x00\x00\x00".to_vec();
        for n in names {
            v.extend_from_slice(n.as_bytes());
            v.extend_from_slice(b"\x00\x01\x02");
        }
        v
    }

    #[test]
    fn sniffing_checks_extension_and_content() {
        assert_eq!(sniff("r.pdf", b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(sniff("R.PDF", b"%PDF-1.4"), Ok("application/pdf"));
        assert_eq!(sniff("r.pdf", b"MZ\x90\x00 not a pdf"), Err(FileProblem::Content));
        assert_eq!(sniff("shot.png", b"\x89PNG\r\n\x1a\n\x00\x00"), Ok("image/png"));
        assert_eq!(sniff("shot.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok("image/jpeg"));
        assert_eq!(sniff("shot.jpeg", b"\x89PNG\r\n\x1a\n"), Err(FileProblem::Content));
        assert_eq!(
            sniff("a.docx", &zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert!(sniff("a.xlsx", &zip_with(&["[Content_Types].xml", "xl/workbook.xml"])).is_ok());
        assert!(sniff("a.pptx", &zip_with(&["[Content_Types].xml", "ppt/presentation.xml"])).is_ok());
        // A plain zip renamed, or a workbook named as a document, is refused.
        assert_eq!(sniff("a.docx", &zip_with(&["evil.exe"])), Err(FileProblem::Content));
        assert_eq!(sniff("a.docx", &zip_with(&["[Content_Types].xml", "xl/workbook.xml"])), Err(FileProblem::Content));
        assert_eq!(sniff("notes.txt", "交付清单\n".as_bytes()), Ok("text/plain; charset=utf-8"));
        assert_eq!(sniff("t.csv", b"a,b\n1,2\n"), Ok("text/csv; charset=utf-8"));
        assert_eq!(sniff("f.md", "# 用户反馈".as_bytes()), Ok("text/markdown; charset=utf-8"));
        assert_eq!(sniff("t.csv", &[0xC3, 0x28]), Err(FileProblem::Content));
        assert_eq!(sniff("t.txt", b"MZ\x00\x00"), Err(FileProblem::Content));
        assert_eq!(sniff("setup.exe", b"MZ\x90\x00"), Err(FileProblem::Extension));
        assert_eq!(sniff("noext", b"hello"), Err(FileProblem::Extension));
        assert_eq!(sniff("a.txt", b""), Err(FileProblem::Empty));
    }

    #[test]
    fn filenames_are_sanitised() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\Users\\x\\测试报告.pdf"), "测试报告.pdf");
        assert_eq!(sanitize_filename("a\"b<c>|d?.txt"), "a_b_c__d_.txt");
        assert_eq!(sanitize_filename("line\r\nbreak.txt"), "line__break.txt");
        assert_eq!(sanitize_filename("  many   spaces .md "), "many spaces .md");
        assert_eq!(sanitize_filename(".htaccess"), "htaccess");
        assert_eq!(sanitize_filename("..."), "file");
        assert_eq!(sanitize_filename(""), "file");
        let long = format!("{}.pdf", "长".repeat(300));
        let s = sanitize_filename(&long);
        assert_eq!(s.chars().count(), MAX_FILENAME);
        assert!(s.ends_with(".pdf"));
    }

    #[test]
    fn content_disposition_is_safe() {
        let h = content_disposition("验收 报告.pdf");
        assert!(h.starts_with("attachment; filename=\"__ __.pdf\"; filename*=UTF-8''"));
        assert!(h.contains("%E9%AA%8C"));
        assert!(!h.contains('\n'));
    }

    #[test]
    fn checklist_passes_only_when_all_three_are_met() {
        assert!(checklist_passes(true, true, true));
        assert!(!checklist_passes(false, true, true));
        assert!(!checklist_passes(true, false, true));
        assert!(!checklist_passes(true, true, false));
        assert!(!checklist_passes(false, false, false));
    }

    #[test]
    fn missing_kinds_and_search_text() {
        assert_eq!(missing_kinds(&[FileKind::TestReport]), vec![FileKind::Deliverable, FileKind::UserFeedback]);
        assert!(missing_kinds(&FileKind::ALL).is_empty());
        assert_eq!(search_text(" Good PLAN ", "供应商延误", "Test early"), "good plan\n供应商延误\ntest early");
        assert_eq!(like_pattern(" 50%_off\\ "), "%50\\%\\_off\\\\%");
        assert_eq!(matching_paragraphs("供应商按期交付\n\n测试不足", "测试"), vec!["测试不足".to_string()]);
        assert_eq!(index_text(Some(930)), "0.93");
        assert_eq!(index_text(Some(1000)), "1.00");
        assert_eq!(index_text(Some(996)), "1.00");
        assert_eq!(index_text(None), "—");
        assert_eq!(size_text(2048), "2.0 KB");
    }
}
