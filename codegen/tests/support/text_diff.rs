//! A line diff in the unified format (`@@ -a,b +c,d @@`, ` `/`-`/`+` lines), enough to
//! read why a generated file differs from its snapshot.

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// Above this many cells the changed middle is shown as replaced wholesale rather than
/// aligned line by line (the alignment table is quadratic).
const MAX_TABLE: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// The unified diff from `old` to `new` (labelled `old_name`/`new_name`), at most
/// `max_lines` lines of it; empty when the texts are equal.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str, max_lines: usize) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = align(&a, &b);

    // Old and new line index before each op.
    let mut positions = Vec::with_capacity(ops.len());
    let (mut i, mut j) = (0, 0);
    for op in &ops {
        positions.push((i, j));
        match op {
            Op::Same => (i, j) = (i + 1, j + 1),
            Op::Removed => i += 1,
            Op::Added => j += 1,
        }
    }

    let mut lines = vec![format!("--- {old_name}"), format!("+++ {new_name}")];
    for (start, end) in hunks(&ops) {
        let count = |side: Op| {
            ops[start..end]
                .iter()
                .filter(|op| **op == Op::Same || **op == side)
                .count()
        };
        let (old_start, new_start) = positions[start];
        lines.push(format!(
            "@@ -{},{} +{},{} @@",
            old_start + 1,
            count(Op::Removed),
            new_start + 1,
            count(Op::Added)
        ));
        for (op, (i, j)) in ops[start..end].iter().zip(&positions[start..end]) {
            lines.push(match op {
                Op::Same => format!(" {}", a[*i]),
                Op::Removed => format!("-{}", a[*i]),
                Op::Added => format!("+{}", b[*j]),
            });
        }
    }
    if !old.is_empty() && !new.is_empty() && old.ends_with('\n') != new.ends_with('\n') {
        lines.push("(the texts differ in their final newline)".to_owned());
    }
    if lines.len() > max_lines {
        let more = lines.len() - max_lines;
        lines.truncate(max_lines);
        lines.push(format!("... ({more} more lines of diff)"));
    }
    lines.join("\n") + "\n"
}

/// The ops turning `a` into `b`: common prefix and suffix kept, the middle aligned by a
/// longest common subsequence when small enough.
fn align(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut ops = vec![Op::Same; prefix];
    if (mid_a.len() + 1) * (mid_b.len() + 1) > MAX_TABLE {
        ops.extend(std::iter::repeat_n(Op::Removed, mid_a.len()));
        ops.extend(std::iter::repeat_n(Op::Added, mid_b.len()));
    } else {
        ops.extend(lcs_ops(mid_a, mid_b));
    }
    ops.extend(std::iter::repeat_n(Op::Same, suffix));
    ops
}

fn lcs_ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let width = b.len() + 1;
    // longest[i * width + j]: the LCS length of a[i..] and b[j..].
    let mut longest = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            longest[i * width + j] = if a[i] == b[j] {
                longest[(i + 1) * width + j + 1] + 1
            } else {
                longest[(i + 1) * width + j].max(longest[i * width + j + 1])
            };
        }
    }
    let mut ops = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            ops.push(Op::Same);
            (i, j) = (i + 1, j + 1);
        } else if longest[(i + 1) * width + j] >= longest[i * width + j + 1] {
            ops.push(Op::Removed);
            i += 1;
        } else {
            ops.push(Op::Added);
            j += 1;
        }
    }
    ops.extend(std::iter::repeat_n(Op::Removed, a.len() - i));
    ops.extend(std::iter::repeat_n(Op::Added, b.len() - j));
    ops
}

/// Op ranges of the hunks: each change with its context, nearby changes merged.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for (index, _) in ops.iter().enumerate().filter(|(_, op)| **op != Op::Same) {
        let start = index.saturating_sub(CONTEXT);
        let end = (index + 1 + CONTEXT).min(ops.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    hunks
}
