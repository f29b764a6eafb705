//! Text helpers shared by every plain-text rendering (CLI tables, reports).

/// Terminal columns taken by `s`: East Asian wide and fullwidth characters take two, so
/// Japanese subjects and label names line up in tables.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Cuts `s` to at most `width` columns, marking the cut with `…`.
pub fn truncate_width(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_takes_two_columns() {
        assert_eq!(display_width("請求abc"), 7);
        assert_eq!(display_width("ｶﾙﾓ"), 3, "half-width kana are narrow");
        assert_eq!(truncate_width("請求書の件について", 9), "請求書の…");
        assert_eq!(truncate_width("short", 9), "short");
    }
}
