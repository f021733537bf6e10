//! Server-side keyset pagination, sorting and filtering for every list, with the
//! same query usable for CSV export. A list's state lives in the URL (`sort`,
//! `dir`, `after`, filters) so that it works without JavaScript and can be
//! bookmarked.
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;
pub const EXPORT_LIMIT: i64 = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Dir {
    #[default]
    Asc,
    Desc,
}

impl Dir {
    pub fn parse(s: &str) -> Dir {
        if s == "desc" { Dir::Desc } else { Dir::Asc }
    }
    pub fn code(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }
    pub fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Cursor for the next page, if there is one.
    pub next: Option<String>,
    /// Number of rows matching the filters (all pages).
    pub total: i64,
}

/// A cursor is the last row's sort value and id: `value\u{1f}id`.
pub fn encode_cursor(value: &str, id: i64) -> String {
    format!("{value}\u{1f}{id}")
}

pub fn decode_cursor(c: &str) -> Option<(String, i64)> {
    let (v, id) = c.rsplit_once('\u{1f}')?;
    Some((v.to_string(), id.parse().ok()?))
}

/// CSV cell escaping (RFC 4180) with formula-injection protection for
/// spreadsheets: a cell starting with = + - @ is prefixed with a quote.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::core::db::Arg;

    /// A sortable column: the name used in URLs, its SQL expression, and whether
    /// its values are integers (cursor values are parsed accordingly).
    #[derive(Clone, Copy, Debug)]
    pub struct SortCol {
        pub name: &'static str,
        pub sql: &'static str,
        pub integer: bool,
    }

    /// Builds WHERE/ORDER/LIMIT for a keyset page. `conds` are the filter
    /// conditions already written with `$1..$n` and their args; `id` is the id column.
    pub struct Keyset<'a> {
        pub cols: &'a [SortCol],
        pub sort: &'a str,
        pub dir: Dir,
        pub after: Option<&'a str>,
        pub id: &'static str,
    }

    impl Keyset<'_> {
        pub fn col(&self) -> SortCol {
            self.cols.iter().copied().find(|c| c.name == self.sort).unwrap_or(self.cols[0])
        }

        /// Appends the cursor condition (if any) to `conds`/`args` and returns
        /// "ORDER BY … LIMIT n" for `limit + 1` rows (one extra tells if there is more).
        pub fn apply(&self, conds: &mut Vec<String>, args: &mut Vec<Arg>, limit: i64) -> String {
            let col = self.col();
            let op = match self.dir {
                Dir::Asc => ">",
                Dir::Desc => "<",
            };
            if let Some((value, id)) = self.after.and_then(decode_cursor) {
                let n = args.len();
                let v = if col.integer { Arg::I64(value.parse().unwrap_or(0)) } else { Arg::Str(value) };
                conds.push(format!(
                    "({c} {op} ${a} OR ({c} = ${a} AND {id} {op} ${b}))",
                    c = col.sql,
                    a = n + 1,
                    b = n + 2,
                    id = self.id
                ));
                args.push(v);
                args.push(Arg::I64(id));
            }
            let d = match self.dir {
                Dir::Asc => "ASC",
                Dir::Desc => "DESC",
            };
            format!("ORDER BY {c} {d}, {id} {d} LIMIT {l}", c = col.sql, id = self.id, l = limit + 1)
        }
    }

    pub fn where_clause(conds: &[String]) -> String {
        if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) }
    }

    /// Cuts the extra row and makes the next cursor from the last row kept.
    pub fn finish_page<T>(mut rows: Vec<T>, limit: i64, total: i64, key: impl Fn(&T) -> (String, i64)) -> Page<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(|r| {
                let (v, id) = key(r);
                encode_cursor(&v, id)
            })
        } else {
            None
        };
        Page { rows, next, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = encode_cursor("王 小明|x", 42);
        assert_eq!(decode_cursor(&c), Some(("王 小明|x".to_string(), 42)));
        assert_eq!(decode_cursor("garbage"), None);
    }

    #[test]
    fn csv_escaping() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn keyset_clause() {
        let cols = [SortCol { name: "name", sql: "u.display_name", integer: false }];
        let ks = Keyset { cols: &cols, sort: "name", dir: Dir::Desc, after: Some("李\u{1f}7"), id: "u.id" };
        let mut conds = vec!["u.active = $1".to_string()];
        let mut args = vec![crate::core::db::Arg::Bool(true)];
        let tail = ks.apply(&mut conds, &mut args, 25);
        assert_eq!(conds[1], "(u.display_name < $2 OR (u.display_name = $2 AND u.id < $3))");
        assert_eq!(tail, "ORDER BY u.display_name DESC, u.id DESC LIMIT 26");
        assert_eq!(args.len(), 3);
        let page = finish_page(vec![(1, "a"), (2, "b"), (3, "c")], 2, 3, |r| (r.1.to_string(), r.0));
        assert_eq!(page.rows.len(), 2);
        assert_eq!(page.next, Some(encode_cursor("b", 2)));
    }
}
