//! HTML to plain text for mail that has no text/plain part, and for search and previews.
//! Tags are dropped; `<br>`, block elements (`<p>`, `<div>`, `<li>`, `<tr>`, headings, …) become
//! line breaks; `<head>`, `<style>`, `<script>`, `<title>` and comments are dropped with their
//! content; entities are decoded with mail-parser's HTML5 entity table; white space is
//! collapsed as a browser would, except inside `<pre>`.

use mail_parser::decoders::html::add_html_token;

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "address",
    "form",
    "body",
];
const SKIPPED: &[&str] = &["head", "style", "script", "title", "template"];

pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut pre = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest, pre > 0);
            break;
        };
        push_text(&mut out, &rest[..lt], pre > 0);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some((name, closing, after)) = tag(rest) else {
            // A lone "<" is text.
            push_text(&mut out, "<", pre > 0);
            rest = &rest[1..];
            continue;
        };
        rest = after;
        if !closing && SKIPPED.contains(&name.as_str()) {
            rest = skip_element(rest, &name);
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "li" if !closing => {
                line_break(&mut out);
                out.push_str("- ");
            }
            "td" | "th" if !closing && !out.is_empty() && !out.ends_with(['\n', ' ', '\t']) => {
                out.push('\t');
            }
            "pre" => {
                pre = if closing {
                    pre.saturating_sub(1)
                } else {
                    pre + 1
                };
                line_break(&mut out);
            }
            n if BLOCKS.contains(&n) || n == "li" => line_break(&mut out),
            _ => {}
        }
    }
    tidy(&out)
}

/// Parses `<name …>` or `</name …>` at the start of `s` (quotes in attributes respected).
/// Returns the lowercase name, whether it closes, and the text after `>`.
fn tag(s: &str) -> Option<(String, bool, &str)> {
    let inner = &s[1..];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    if !inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '?') {
        return None;
    }
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let mut quote = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some((name, closing, &inner[i + 1..])),
            _ => {}
        }
    }
    Some((name, closing, ""))
}

/// Skips to after `</name>`; a `<head>` that is never closed ends where `<body` starts.
fn skip_element<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    let close = format!("</{name}");
    if let Some(at) = lower.find(&close) {
        let after = &s[at..];
        return after.find('>').map_or("", |end| &after[end + 1..]);
    }
    if name == "head"
        && let Some(at) = lower.find("<body")
    {
        return &s[at..];
    }
    ""
}

fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends text with entities decoded and, outside `<pre>`, white space collapsed.
fn push_text(out: &mut String, text: &str, pre: bool) {
    let mut rest = text;
    while !rest.is_empty() {
        let amp = rest.find('&').unwrap_or(rest.len());
        push_plain(out, &rest[..amp], pre);
        rest = &rest[amp..];
        if rest.is_empty() {
            break;
        }
        let entity_len = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .filter(|&n| n > 0 && n < 32 && rest[1 + n..].starts_with(';'));
        match entity_len {
            Some(n) => {
                let mut decoded = String::new();
                add_html_token(&mut decoded, &rest.as_bytes()[..n + 2], false);
                push_plain(out, &decoded.replace('\u{a0}', " "), true);
                rest = &rest[n + 2..];
            }
            None => {
                push_plain(out, "&", pre);
                rest = &rest[1..];
            }
        }
    }
}

fn push_plain(out: &mut String, text: &str, pre: bool) {
    if pre {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            if !out.is_empty() && !out.ends_with([' ', '\n', '\t']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Trailing blanks removed from each line, at most one empty line in a row, no blank edges.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_lines += 1;
            if blank_lines > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_lines = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn blocks_breaks_and_entities() {
        let html = "<html><head><title>t</title><style>p { color: red; }</style></head>\n\
            <body><div>Hello&nbsp;&amp; welcome,</div><p>line&nbsp;one<br>line two</p>\
            <ul><li>first</li><li>second &lt;3&gt;</li></ul>\
            <script>alert(1)</script><!-- hidden -->&#x1F600; &copy; 2024</body></html>";
        assert_eq!(
            html_to_text(html),
            "Hello & welcome,\nline one\nline two\n- first\n- second <3>\n😀 © 2024"
        );
    }

    #[test]
    fn whitespace_collapses_except_in_pre() {
        let html = "<p>a\n   b\t c</p><pre>  x\n    y</pre><p>z</p>";
        assert_eq!(html_to_text(html), "a b c\n  x\n    y\nz");
    }

    #[test]
    fn outlook_paragraphs_and_blank_lines() {
        let html = "<div class=WordSection1><p class=MsoNormal>お世話になっております。<o:p></o:p></p>\
            <p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>山田です。<o:p></o:p></p></div>";
        assert_eq!(html_to_text(html), "お世話になっております。\n\n山田です。");
    }

    #[test]
    fn broken_markup() {
        assert_eq!(html_to_text("a < b & c <b>bold"), "a < b & c bold");
        assert_eq!(html_to_text("<head><meta charset=utf-8><body>x"), "x");
        assert_eq!(html_to_text("<a href=\"x>y\">link</a>"), "link");
    }
}
