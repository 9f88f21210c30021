//! `@documentation` (CommonMark with HTML, as AWS writes it) → rustdoc lines.
//!
//! Only the handful of tags AWS models use are translated; any other tag is dropped
//! with its text kept, so nothing a reader needs is lost.

use serde_json::Value;

use crate::ast::Traits;

/// The documentation lines of a shape or member (empty when undocumented).
pub fn of(traits: &Traits) -> Vec<String> {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(lines)
        .unwrap_or_default()
}

/// Converts documentation text into lines for `///` comments.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = String::new();
    let mut link: Option<String> = None;
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            push_text(&mut out, &rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("p", false) | ("ul", _) | ("ol", _) => out.push_str("\n\n"),
            ("p", true) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("br", _) => out.push('\n'),
            ("code", _) => out.push('`'),
            ("i" | "em", _) => out.push('*'),
            ("b" | "strong", _) => out.push_str("**"),
            ("a", false) => {
                link = attr(tag, "href");
                out.push('[');
            }
            ("a", true) => match link.take() {
                Some(href) => out.push_str(&format!("]({href})")),
                None => out.push(']'),
            },
            _ => {}
        }
    }
    push_text(&mut out, rest);
    let mut lines: Vec<String> = Vec::new();
    for line in out.lines().map(str::trim) {
        let blank = line.is_empty();
        if blank && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line.to_owned());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Appends text with runs of spaces folded (line breaks kept: Markdown needs them)
/// and HTML entities decoded.
fn push_text(out: &mut String, text: &str) {
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut last_space = out.ends_with([' ', '\n']);
    for c in decoded.chars() {
        if c == '\n' {
            out.push('\n');
            last_space = true;
        } else if c.is_control() && !c.is_whitespace() {
            // Not text: a doc comment may not carry them (a bare CR is a syntax error).
        } else if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown_lines() {
        let got = lines("<p>Sets the <code>Video</code>\n   capability.</p><p>See <a href=\"https://x.test/y\">the guide</a>.</p>");
        assert_eq!(
            got,
            [
                "Sets the `Video`",
                "capability.",
                "",
                "See [the guide](https://x.test/y)."
            ]
        );
    }

    #[test]
    fn lists_and_entities() {
        let got = lines("<ul><li>A &amp; B</li><li><i>C</i></li></ul>");
        assert_eq!(got, ["- A & B", "- *C*"]);
    }

    #[test]
    fn plain_markdown_passes_through() {
        assert_eq!(
            lines("Just text.\n\nSecond para."),
            ["Just text.", "", "Second para."]
        );
        assert!(lines("").is_empty());
    }
}
