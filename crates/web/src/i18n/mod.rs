//! Every visible string of the UI in English and Japanese (the words a Japanese support team
//! uses: 未対応, 保留, 担当者, ラベル, スヌーズ, チケットの分割, 受信箱, 履歴 …). The language is
//! the user's saved choice, else the browser's `Accept-Language`, else English. A unit test
//! keeps both catalogues on the same keys.

use axum::http::{HeaderMap, header};
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Without allocating: templates ask at every `t()`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if s.eq_ignore_ascii_case("ja") {
            Some(Lang::Ja)
        } else {
            None
        }
    }

    /// The first of ja/en in the browser's preference order (RFC 9110 §12.5.4 q-values).
    pub fn from_accept_language(value: &str) -> Lang {
        let mut prefs: Vec<(f32, Lang)> = value
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                    .unwrap_or(1.0);
                let lang = Lang::parse(tag.split('-').next()?)?;
                Some((q, lang))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        // Stable: equal q-values keep the order the browser sent.
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs.first().map_or(Lang::En, |p| p.1)
    }

    pub fn from_headers(h: &HeaderMap) -> Lang {
        h.get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::En, Lang::from_accept_language)
    }
}

mod admin;
mod pages;
mod reply;

/// Each area of the UI keeps its messages in its own module.
const EN: [&[(&str, &str)]; 3] = [pages::EN, reply::EN, admin::EN];
const JA: [&[(&str, &str)]; 3] = [pages::JA, reply::JA, admin::JA];

static CATALOGUES: LazyLock<[HashMap<&'static str, &'static str>; 2]> = LazyLock::new(|| {
    let all = |parts: [&[(&'static str, &'static str)]; 3]| parts.concat().into_iter().collect();
    [all(EN), all(JA)]
});

/// The message for `key`, `None` if the catalogue has none.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let i = match lang {
        Lang::En => 0,
        Lang::Ja => 1,
    };
    CATALOGUES[i].get(key).copied()
}

/// The message for `key`, or the key itself (a visible, testable gap; never a panic).
pub fn text(lang: Lang, key: &str) -> &str {
    match lookup(lang, key) {
        Some(t) => t,
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys_once() {
        let (en_all, ja_all) = (EN.concat(), JA.concat());
        let en: BTreeSet<&str> = en_all.iter().map(|p| p.0).collect();
        let ja: BTreeSet<&str> = ja_all.iter().map(|p| p.0).collect();
        assert_eq!(en.len(), en_all.len(), "a key twice in EN");
        assert_eq!(ja.len(), ja_all.len(), "a key twice in JA");
        assert_eq!(
            en.difference(&ja).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in JA"
        );
        assert_eq!(
            ja.difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "missing in EN"
        );
    }

    #[test]
    fn every_action_and_status_has_a_name() {
        for lang in [Lang::En, Lang::Ja] {
            for a in hako_domain::Action::ALL {
                assert!(lookup(lang, &format!("action.{a}")).is_some(), "{a}");
            }
            for s in hako_domain::StatusKind::ALL {
                assert!(lookup(lang, &format!("status.{s}")).is_some(), "{s}");
            }
        }
        assert_eq!(text(Lang::Ja, "status.open"), "未対応");
    }

    #[test]
    fn accept_language_picks_the_preferred_of_ours() {
        assert_eq!(
            Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"),
            Lang::Ja
        );
        assert_eq!(Lang::from_accept_language("fr,en;q=0.5,ja;q=0.4"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.1, ja"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }
}
