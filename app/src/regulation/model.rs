//! The regulation ("XX公司业务管理制度") as data: parsed from the bilingual
//! catalogue shipped in `app/data/regulation.md`, identical on server and browser.
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// What the software does for the clause (the specification's column).
    pub software: String,
    /// True when the clause can be checked against live data (marked **rule**).
    pub has_rule: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub number: String,
    pub title_zh: String,
    pub title_en: String,
    pub clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chapter {
    pub number: String,
    pub title_zh: String,
    pub title_en: String,
    /// Clauses directly under the chapter, or (chapter 2) under its sections.
    pub sections: Vec<Section>,
}

pub const SOURCE: &str = include_str!("../../data/regulation.md");

/// "2.1 市场营销 Marketing" -> ("2.1", "市场营销", "Marketing")
fn split_heading(h: &str) -> (String, String, String) {
    let h = h.trim();
    let (num, rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for word in rest.split_whitespace() {
        if en.is_empty() && !word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            zh.push(word);
        } else {
            en.push(word);
        }
    }
    (num.to_string(), zh.join(" "), en.join(" "))
}

pub fn parse(src: &str) -> Vec<Chapter> {
    let mut chapters: Vec<Chapter> = Vec::new();
    for line in src.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            let (number, title_zh, title_en) = split_heading(h);
            if !number.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            chapters.push(Chapter {
                number: number.clone(),
                title_zh: title_zh.clone(),
                title_en: title_en.clone(),
                // Clauses directly under a chapter live in a section with the chapter's own number.
                sections: vec![Section { number, title_zh, title_en, clauses: vec![] }],
            });
        } else if let Some(h) = line.strip_prefix("### ") {
            let (number, title_zh, title_en) = split_heading(h);
            if let Some(ch) = chapters.last_mut() {
                if ch.sections.len() == 1 && ch.sections[0].clauses.is_empty() && ch.sections[0].number == ch.number {
                    ch.sections.clear();
                }
                ch.sections.push(Section { number, title_zh, title_en, clauses: vec![] });
            }
        } else if line.starts_with('|') {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            if cells.len() < 4 || cells[0] == "id" || cells[0].starts_with("---") {
                continue;
            }
            let id = cells[0];
            if !id.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                continue;
            }
            let software = cells[3..].join("|");
            let clause = Clause {
                id: id.to_string(),
                zh: cells[1].to_string(),
                en: cells[2].to_string(),
                has_rule: software.contains("**rule**"),
                software,
            };
            if let Some(sec) = chapters.last_mut().and_then(|c| c.sections.last_mut()) {
                sec.clauses.push(clause);
            }
        }
    }
    chapters
}

pub fn catalogue() -> &'static [Chapter] {
    static CAT: OnceLock<Vec<Chapter>> = OnceLock::new();
    CAT.get_or_init(|| parse(SOURCE))
}

pub fn find(id: &str) -> Option<&'static Clause> {
    catalogue().iter().flat_map(|c| c.sections.iter()).flat_map(|s| s.clauses.iter()).find(|c| c.id == id)
}

pub fn all_clauses() -> impl Iterator<Item = &'static Clause> {
    catalogue().iter().flat_map(|c| c.sections.iter()).flat_map(|s| s.clauses.iter())
}

impl Clause {
    /// Case-insensitive match on id and both texts.
    pub fn matches(&self, q: &str) -> bool {
        let q = q.trim().to_lowercase();
        q.is_empty()
            || self.id.to_lowercase().contains(&q)
            || self.zh.to_lowercase().contains(&q)
            || self.en.to_lowercase().contains(&q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_chapter_and_clause() {
        let cat = catalogue();
        let numbers: Vec<&str> = cat.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "3", "4", "5"]);
        assert_eq!(cat[0].title_zh, "总则");
        assert_eq!(cat[0].title_en, "General provisions");
        let sections: Vec<&str> = cat[1].sections.iter().map(|s| s.number.as_str()).collect();
        assert_eq!(sections, ["2.1", "2.2", "2.3", "2.4"]);
        let c = find("3.1-a").expect("3.1-a");
        assert!(c.zh.starts_with("遵守职业道德准则"));
        assert!(c.en.starts_with("Professional ethics"));
        assert!(c.has_rule);
        assert!(find("2.2.3-c").is_some_and(|c| c.has_rule));
        assert!(find("1.1").is_some_and(|c| !c.has_rule));
        assert!(find("5.3-d").is_some());
        let n = all_clauses().count();
        assert!(n > 80, "only {n} clauses parsed");
        // ids are unique
        let mut ids: Vec<&str> = all_clauses().map(|c| c.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn search_matches_both_languages() {
        let hits: Vec<_> = all_clauses().filter(|c| c.matches("商业秘密")).map(|c| c.id.as_str()).collect();
        assert_eq!(hits, ["3.1-b"]);
        assert!(all_clauses().filter(|c| c.matches("TRADE SECRETS")).any(|c| c.id == "3.1-b"));
    }

    #[test]
    fn shipped_copy_matches_the_specification() {
        // The catalogue ships inside the app; keep it identical to shared/regulation.md.
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/regulation.md");
        match std::fs::read_to_string(spec) {
            Ok(text) => assert_eq!(text, SOURCE, "app/data/regulation.md differs from shared/regulation.md"),
            Err(_) => eprintln!("note: {spec} not present; copy check skipped"),
        }
    }
}
