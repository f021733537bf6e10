//! The typed translation catalogue. Every string a user sees comes from
//! `app/locales/{zh,en}.json` through `K`; see `build.rs` for the checks.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    /// The BCP-47 tag for `<html lang>`.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    /// Picks the first supported language from an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header.split(',').find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
    }
    /// The language's own name ("简体中文", "English").
    pub fn name(self) -> &'static str {
        match self {
            Lang::Zh => K::LangNameZh.zh(),
            Lang::En => K::LangNameEn.en(),
        }
    }
    pub fn t(self, k: K) -> &'static str {
        match self {
            Lang::Zh => k.zh(),
            Lang::En => k.en(),
        }
    }
    /// Translates and fills `{name}` placeholders.
    pub fn tf(self, k: K, params: &[(&str, String)]) -> String {
        fill(self.t(k), params)
    }
}

pub fn fill(template: &str, params: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (name, value) in params {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The language signal every component reads (provided by `App`).
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::default())))
}

impl I18n {
    pub fn lang(self) -> Lang {
        self.0.get()
    }
    /// A reactive translated string.
    pub fn t(self, k: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.0.get().t(k)
    }
    pub fn get(self, k: K) -> &'static str {
        self.0.get().t(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_round_trips() {
        for k in K::ALL {
            assert!(!k.zh().is_empty() && !k.en().is_empty(), "{k:?}");
            assert_eq!(K::from_code(k.code()), Some(*k));
        }
    }

    #[test]
    fn chinese_is_really_chinese() {
        // A copy-pasted English string in zh.json is a missing translation in disguise.
        let untranslated: Vec<_> = K::ALL
            .iter()
            .filter(|k| k.zh() == k.en() && k.en().chars().any(|c| c.is_ascii_alphabetic()) && k.en().len() > 3)
            .filter(|k| !k.code().starts_with("brand.") && !k.code().starts_with("lang."))
            .map(|k| k.code())
            .collect();
        assert!(untranslated.is_empty(), "zh.json has English text for {untranslated:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{a} and {b}", &[("a", "1".into()), ("b", "2".into())]), "1 and 2");
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, zh-CN;q=0.8"), Some(Lang::Zh));
        assert_eq!(Lang::from_accept_language("fr"), None);
    }
}
