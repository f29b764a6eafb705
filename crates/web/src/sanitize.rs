//! Mail bodies made safe to show. HTML goes through ammonia (an allow-list: no script, style,
//! SVG, forms, frames, `<base>`, `<meta>` or event handlers; links only http, https and
//! mailto, opening in a new tab without a referrer). Remote images are dropped until the
//! agent asks for them — a loaded image tells the sender when and where the mail was read —
//! and `cid:` images point at the message's own attachments. Plain text is escaped, and
//! `@name` mentions in notes are marked.

use ammonia::{Builder, UrlRelative};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A sanitised HTML body, and whether remote images were held back.
pub(crate) struct Clean {
    pub html: String,
    pub blocked_images: bool,
}

/// Attributes holding a URL that ammonia may let through on its allow-listed tags.
const URL_ATTRS: [&str; 5] = ["href", "src", "cite", "longdesc", "action"];

/// `cids` maps Content-IDs to the download URL of the attachment carrying them.
pub(crate) fn clean_html(html: &str, show_images: bool, cids: HashMap<String, String>) -> Clean {
    let blocked = Arc::new(AtomicBool::new(false));
    let seen = blocked.clone();
    let mut b = Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto", "cid"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("a", "target", "_blank")
        .strip_comments(true)
        // Relative URLs are judged in the filter below (only our own cid: rewrites survive).
        .url_relative(UrlRelative::PassThrough)
        .attribute_filter(move |element, attribute, value| {
            if !URL_ATTRS.contains(&attribute) {
                return Some(value.into());
            }
            let v = value.trim();
            let lower = v.to_ascii_lowercase();
            let remote = lower.starts_with("http://") || lower.starts_with("https://");
            if element == "img" && attribute == "src" {
                if let Some(cid) = lower.strip_prefix("cid:") {
                    return cids.get(cid).map(|u| u.clone().into());
                }
                if remote && show_images {
                    return Some(value.into());
                }
                if remote || lower.starts_with("//") {
                    seen.store(true, Ordering::Relaxed);
                }
                return None;
            }
            if element == "a" && attribute == "href" && (remote || lower.starts_with("mailto:")) {
                return Some(value.into());
            }
            None
        });
    let html = b.clean(html).to_string();
    Clean {
        html,
        blocked_images: blocked.load(Ordering::Relaxed),
    }
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with `@name` marked for each of `names` (agents' names and mail local parts).
pub(crate) fn text_with_mentions(text: &str, names: &[String]) -> String {
    let mut names: Vec<String> = names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| escape(n))
        .collect();
    // Longest first, so "@sato.k" is not cut at "@sato".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let escaped = escape(text);
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(i) = rest.find('@') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match names.iter().find(|n| after.starts_with(n.as_str())) {
            Some(n) => {
                out.push_str("<mark>@");
                out.push_str(n);
                out.push_str("</mark>");
                rest = &after[n.len()..];
            }
            None => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_images_wait_and_cid_images_point_home() {
        let html = r#"<p>hi<img src="https://tracker.test/p.gif"><img src="cid:Logo@x"><img src="//evil.test/a.png"></p>"#;
        let cids = HashMap::from([(
            "logo@x".to_string(),
            "/t/1/messages/2/attachments/0".to_string(),
        )]);
        let c = clean_html(html, false, cids.clone());
        assert!(c.blocked_images);
        assert!(
            !c.html.contains("tracker.test") && !c.html.contains("evil.test"),
            "{}",
            c.html
        );
        assert!(
            c.html.contains(r#"src="/t/1/messages/2/attachments/0""#),
            "{}",
            c.html
        );
        let c = clean_html(html, true, cids);
        assert!(c.html.contains("https://tracker.test/p.gif"));
    }

    #[test]
    fn scripts_handlers_and_bad_links_go() {
        let html = r#"<a href="javascript:alert(1)" onclick="x()">a</a><script>alert(1)</script>
            <a href="/logout">b</a><a href="https://ok.test/">c</a><svg onload="x()"></svg>"#;
        let c = clean_html(html, false, HashMap::new());
        for bad in [
            "javascript:",
            "onclick",
            "<script",
            "onload",
            "/logout",
            "<svg",
        ] {
            assert!(!c.html.contains(bad), "{bad} in {}", c.html);
        }
        assert!(c.html.contains(r#"href="https://ok.test/""#));
        assert!(c.html.contains("noopener"));
    }

    #[test]
    fn mentions_are_marked_inside_escaped_text() {
        let out = text_with_mentions(
            "@sato <b>見て</b> @sato.k",
            &["sato".into(), "sato.k".into()],
        );
        assert_eq!(
            out,
            "<mark>@sato</mark> &lt;b&gt;見て&lt;/b&gt; <mark>@sato.k</mark>"
        );
    }
}
