//! A line diff for the outdated-files banner: the learner's copy against the newly published
//! original, as unified-diff hunks. Longest common subsequence over lines: the texts are
//! course files of a few hundred lines, where the quadratic table is small and simple.

/// Context lines kept around each change, as `diff -u` does.
pub const CONTEXT: usize = 3;

/// Above this many cells the table would be too large for the page; the diff then shows the
/// whole old text removed and the whole new text added (still correct, just less precise).
const MAX_TABLE_CELLS: usize = 4_000_000;

/// What a line of a diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// In both texts.
    Context,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

impl LineKind {
    /// The unified-diff marker: ` `, `-` or `+`.
    pub fn marker(self) -> char {
        match self {
            LineKind::Context => ' ',
            LineKind::Removed => '-',
            LineKind::Added => '+',
        }
    }
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// Context, removed or added.
    pub kind: LineKind,
    /// The line's text, without its line break.
    pub text: String,
}

/// A run of changes with their context: `@@ -old_start,old_len +new_start,new_len @@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based first line in the old text (0 when the hunk holds no old line).
    pub old_start: usize,
    /// Old lines in the hunk.
    pub old_len: usize,
    /// 1-based first line in the new text (0 when the hunk holds no new line).
    pub new_start: usize,
    /// New lines in the hunk.
    pub new_len: usize,
    /// The lines.
    pub lines: Vec<DiffLine>,
}

impl Hunk {
    /// The `@@ -a,b +c,d @@` header.
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_len, self.new_start, self.new_len
        )
    }
}

/// Every line of both texts in order, each marked context, removed or added.
///
/// # Examples
/// ```
/// use iot_workbook::components::project::diff::{LineKind, diff_lines};
/// let lines = diff_lines("a\nb\n", "a\nc\n");
/// let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
/// assert_eq!(kinds, [LineKind::Context, LineKind::Removed, LineKind::Added]);
/// ```
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let line = |kind, text: &str| DiffLine {
        kind,
        text: text.to_string(),
    };
    // Common prefix and suffix need no table: most edits touch a few lines.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine> = a[..prefix]
        .iter()
        .map(|t| line(LineKind::Context, t))
        .collect();
    if (mid_a.len() + 1) * (mid_b.len() + 1) > MAX_TABLE_CELLS {
        out.extend(mid_a.iter().map(|t| line(LineKind::Removed, t)));
        out.extend(mid_b.iter().map(|t| line(LineKind::Added, t)));
    } else {
        out.extend(lcs_middle(mid_a, mid_b));
    }
    out.extend(
        a[a.len() - suffix..]
            .iter()
            .map(|t| line(LineKind::Context, t)),
    );
    out
}

/// The diff of two line slices through the longest-common-subsequence table.
fn lcs_middle(a: &[&str], b: &[&str]) -> Vec<DiffLine> {
    let width = b.len() + 1;
    // common[i * width + j]: length of the LCS of a[i..] and b[j..].
    let mut common = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i * width + j] = if a[i] == b[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    let push = |out: &mut Vec<DiffLine>, kind, text: &str| {
        out.push(DiffLine {
            kind,
            text: text.to_string(),
        })
    };
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            push(&mut out, LineKind::Context, a[i]);
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            push(&mut out, LineKind::Removed, a[i]);
            i += 1;
        } else {
            push(&mut out, LineKind::Added, b[j]);
            j += 1;
        }
    }
    a[i..]
        .iter()
        .for_each(|t| push(&mut out, LineKind::Removed, t));
    b[j..]
        .iter()
        .for_each(|t| push(&mut out, LineKind::Added, t));
    out
}

/// The changes between two texts as unified-diff hunks with [`CONTEXT`] lines around each;
/// empty when the texts have the same lines.
///
/// # Examples
/// ```
/// use iot_workbook::components::project::diff::hunks;
/// let h = hunks("a\nb\nc\n", "a\nB\nc\n");
/// assert_eq!(h.len(), 1);
/// assert_eq!(h[0].header(), "@@ -1,3 +1,3 @@");
/// ```
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let lines = diff_lines(old, new);
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k].kind != LineKind::Context)
        .collect();
    let Some(&first) = changed.first() else {
        return Vec::new();
    };
    // Group changes whose context windows touch or overlap.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut start = first.saturating_sub(CONTEXT);
    let mut end = (first + CONTEXT + 1).min(lines.len());
    for &k in &changed[1..] {
        if k.saturating_sub(CONTEXT) <= end {
            end = (k + CONTEXT + 1).min(lines.len());
        } else {
            ranges.push((start, end));
            start = k.saturating_sub(CONTEXT);
            end = (k + CONTEXT + 1).min(lines.len());
        }
    }
    ranges.push((start, end));

    // Line numbers before each position of `lines`.
    let (mut old_no, mut new_no) = (0usize, 0usize);
    let mut before = Vec::with_capacity(lines.len());
    for l in &lines {
        before.push((old_no, new_no));
        match l.kind {
            LineKind::Context => {
                old_no += 1;
                new_no += 1;
            }
            LineKind::Removed => old_no += 1,
            LineKind::Added => new_no += 1,
        }
    }
    ranges
        .into_iter()
        .map(|(s, e)| {
            let slice = &lines[s..e];
            let old_len = slice.iter().filter(|l| l.kind != LineKind::Added).count();
            let new_len = slice.iter().filter(|l| l.kind != LineKind::Removed).count();
            let (old_before, new_before) = before[s];
            Hunk {
                old_start: if old_len == 0 {
                    old_before
                } else {
                    old_before + 1
                },
                old_len,
                new_start: if new_len == 0 {
                    new_before
                } else {
                    new_before + 1
                },
                new_len,
                lines: slice.to_vec(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rebuild a side of the diff from its lines: old = context + removed, new = context + added.
    fn side(lines: &[DiffLine], skip: LineKind) -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.kind != skip)
            .map(|l| l.text.clone())
            .collect()
    }

    #[test]
    fn test_identical_texts_have_no_hunks() {
        assert!(hunks("a\nb\n", "a\nb\n").is_empty());
        assert!(hunks("", "").is_empty());
    }

    #[test]
    fn test_diff_lines_rebuild_both_texts() {
        let old = "x\na\nb\nc\nd\ne\n";
        let new = "a\nb\nX\nd\ne\nf\n";
        let lines = diff_lines(old, new);
        assert_eq!(
            side(&lines, LineKind::Added),
            old.lines().collect::<Vec<_>>()
        );
        assert_eq!(
            side(&lines, LineKind::Removed),
            new.lines().collect::<Vec<_>>()
        );
        // Minimal: x removed, c→X, f added: 3 removed/added lines on each side at most.
        let changes = lines.iter().filter(|l| l.kind != LineKind::Context).count();
        assert_eq!(changes, 4);
    }

    #[test]
    fn test_one_changed_line_has_context_around() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n");
        let h = hunks(&old, &new);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].header(), "@@ -7,7 +7,7 @@");
        assert_eq!(h[0].lines[3].kind, LineKind::Removed);
        assert_eq!(h[0].lines[3].text, "line 10");
        assert_eq!(h[0].lines[4].kind, LineKind::Added);
        assert_eq!(h[0].lines[4].text, "line ten");
    }

    #[test]
    fn test_distant_changes_make_separate_hunks() {
        let old: String = (1..=30).map(|n| format!("{n}\n")).collect();
        let new = old.replace("\n2\n", "\ntwo\n").replace("\n28\n", "\n");
        let h = hunks(&old, &new);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].header(), "@@ -1,5 +1,5 @@");
        assert_eq!(h[1].header(), "@@ -25,6 +25,5 @@");
    }

    #[test]
    fn test_close_changes_merge_into_one_hunk() {
        let old: String = (1..=12).map(|n| format!("{n}\n")).collect();
        let new = old
            .replace("\n3\n", "\nthree\n")
            .replace("\n8\n", "\neight\n");
        assert_eq!(hunks(&old, &new).len(), 1);
    }

    #[test]
    fn test_from_or_to_an_empty_text() {
        let h = hunks("", "a\nb\n");
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].header(), "@@ -0,0 +1,2 @@");
        let h = hunks("a\n", "");
        assert_eq!(h[0].header(), "@@ -1,1 +0,0 @@");
        assert_eq!(h[0].lines[0].kind.marker(), '-');
    }
}
