//! Structure-aware mutation for the `model` target. Byte flips in a 100 KB model mostly
//! break the JSON or a documentation string; the generator's interesting inputs are
//! models whose *structure* is wrong: a member that targets another shape (or its own
//! container), a trait with another trait's value, a shape of another type, something
//! missing. These mutations make such models in one step, from the pieces of the model
//! being mutated.

use serde_json::Value;

/// A small deterministic generator (xorshift32) seeded by libFuzzer, so that a mutation
/// can be replayed.
struct Rng(u32);

impl Rng {
    fn new(seed: u32) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// An index below `len` (which must not be 0).
    fn below(&mut self, len: usize) -> usize {
        self.next() as usize % len
    }
}

/// One structural mutation of the JSON document `text`; `None` when `text` is not JSON
/// (the caller then mutates bytes).
pub fn mutate(text: &[u8], seed: u32) -> Option<Vec<u8>> {
    let mut document: Value = serde_json::from_slice(text).ok()?;
    let mut rng = Rng::new(seed);
    let mut paths = Vec::new();
    collect_paths(&document, String::new(), &mut paths);
    if paths.len() < 2 {
        return None;
    }
    let chosen = paths[rng.below(paths.len())].clone();
    match rng.below(5) {
        // Another string of the document: a target becomes another shape's id, a trait
        // value another member's name, a type another type.
        0 => {
            let strings: Vec<&str> = paths
                .iter()
                .filter_map(|p| document.pointer(p).and_then(Value::as_str))
                .collect();
            if strings.is_empty() {
                return None;
            }
            let replacement = Value::String(strings[rng.below(strings.len())].to_owned());
            *document.pointer_mut(&chosen)? = replacement;
        }
        // A copy of another part of the document.
        1 => {
            let source = &paths[rng.below(paths.len())];
            let replacement = document.pointer(source)?.clone();
            *document.pointer_mut(&chosen)? = replacement;
        }
        // Something missing: remove a member of an object or an item of an array.
        2 => {
            let (parent, last) = chosen.rsplit_once('/')?;
            match document.pointer_mut(parent)? {
                Value::Object(members) => {
                    members.shift_remove(&unescape(last));
                }
                Value::Array(items) => {
                    let index: usize = last.parse().ok()?;
                    if index < items.len() {
                        items.remove(index);
                    }
                }
                _ => return None,
            }
        }
        // A member (or collection member, operation input, ...) that targets another
        // shape of the model, or the shape it belongs to.
        3 => {
            let targets: Vec<&String> = paths.iter().filter(|p| p.ends_with("/target")).collect();
            let shape_ids: Vec<String> = document
                .get("shapes")
                .and_then(Value::as_object)
                .map(|shapes| shapes.keys().cloned().collect())
                .unwrap_or_default();
            if targets.is_empty() || shape_ids.is_empty() {
                return None;
            }
            let member = targets[rng.below(targets.len())].clone();
            let shape = shape_ids[rng.below(shape_ids.len())].clone();
            *document.pointer_mut(&member)? = Value::String(shape);
        }
        // Another kind of value: empty object, empty array, null, a number, a boolean.
        _ => {
            let replacement = match rng.below(5) {
                0 => Value::Object(serde_json::Map::new()),
                1 => Value::Array(Vec::new()),
                2 => Value::Null,
                3 => Value::from(i64::from(rng.next() as i32)),
                _ => Value::Bool(rng.next().is_multiple_of(2)),
            };
            *document.pointer_mut(&chosen)? = replacement;
        }
    }
    serde_json::to_vec(&document).ok()
}

/// The JSON pointer of every value under `value` (`value` itself excluded).
fn collect_paths(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let path = format!("{at}/{}", escape(key));
                out.push(path.clone());
                collect_paths(member, path, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let path = format!("{at}/{index}");
                out.push(path.clone());
                collect_paths(item, path, out);
            }
        }
        _ => {}
    }
}

/// A key as a JSON pointer segment (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"{"shapes":{
        "a#L":{"type":"list","member":{"target":"a#S"}},
        "a#S":{"type":"structure","members":{"M":{"target":"a#L"}}}}}"#;

    #[test]
    fn mutations_keep_the_json_valid_and_change_it() {
        let original: Value = serde_json::from_str(MODEL).unwrap();
        let mut changed = 0;
        for seed in 0..200 {
            let Some(mutated) = mutate(MODEL.as_bytes(), seed) else {
                continue;
            };
            let mutated: Value = serde_json::from_slice(&mutated).expect("valid JSON");
            changed += usize::from(mutated != original);
        }
        assert!(
            changed > 100,
            "only {changed} of 200 mutations changed the model"
        );
    }

    #[test]
    fn a_member_can_be_retargeted_at_its_own_container() {
        let self_list = (0..10_000).any(|seed| {
            mutate(MODEL.as_bytes(), seed).is_some_and(|m| {
                let m: Value = serde_json::from_slice(&m).unwrap();
                m.pointer("/shapes/a#L/member/target") == Some(&Value::from("a#L"))
            })
        });
        assert!(self_list);
    }

    #[test]
    fn text_that_is_not_json_is_left_to_the_byte_mutator() {
        assert_eq!(mutate(b"{\"shapes\":", 7), None);
    }
}
