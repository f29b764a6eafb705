//! A line diff for the approver's edit (承認): what the author wrote against what goes out.
//! Longest common subsequence over lines — replies are short, so the quadratic table is a
//! few thousand cells at most; past `MAX_CELLS` the diff degrades to "all removed, all added"
//! rather than using a lot of memory.

use serde::Serialize;

const MAX_CELLS: usize = 4_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "line", rename_all = "lowercase")]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// The lines of `before` and `after`, each kept, removed or added, in order.
pub fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        let removed = a.iter().map(|l| DiffLine::Removed(l.to_string()));
        return removed
            .chain(b.iter().map(|l| DiffLine::Added(l.to_string())))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let w = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, vec![]);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            // On a tie the removal goes first, as in a unified diff.
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out
}

/// The diff as text: `- ` removed, `+ ` added, two spaces kept.
pub fn render(diff: &[DiffLine]) -> String {
    diff.iter()
        .map(|d| match d {
            DiffLine::Same(l) => format!("  {l}\n"),
            DiffLine::Removed(l) => format!("- {l}\n"),
            DiffLine::Added(l) => format!("+ {l}\n"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_line_shows_as_removed_then_added() {
        let d = diff_lines(
            "山田様\n\n再発行しました。\nよろしく",
            "山田様\n\n再発行いたしました。\nよろしく",
        );
        assert_eq!(
            render(&d),
            "  山田様\n  \n- 再発行しました。\n+ 再発行いたしました。\n  よろしく\n"
        );
    }

    #[test]
    fn no_change_is_all_same_and_empty_sides_work() {
        assert!(
            diff_lines("a\nb", "a\nb")
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
        assert_eq!(render(&diff_lines("", "x")), "+ x\n");
        assert_eq!(render(&diff_lines("x", "")), "- x\n");
    }

    proptest::proptest! {
        /// Dropping the added lines gives `before` back; dropping the removed gives `after`.
        #[test]
        fn both_sides_can_be_rebuilt(a in "[abc\n]{0,40}", b in "[abc\n]{0,40}") {
            let d = diff_lines(&a, &b);
            let side = |keep_added: bool| -> Vec<String> {
                d.iter().filter_map(|l| match l {
                    DiffLine::Same(s) => Some(s.clone()),
                    DiffLine::Added(s) if keep_added => Some(s.clone()),
                    DiffLine::Removed(s) if !keep_added => Some(s.clone()),
                    _ => None,
                }).collect()
            };
            let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
            proptest::prop_assert_eq!(side(false), lines(&a));
            proptest::prop_assert_eq!(side(true), lines(&b));
        }
    }
}
