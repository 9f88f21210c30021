//! Finding an IR item by name, panicking with what is missing (for assertions).

use chime_caps_codegen::ir::{Crate, Member, Operation, Structure};

pub fn op<'a>(krate: &'a Crate, name: &str) -> &'a Operation {
    krate
        .operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

pub fn structure<'a>(krate: &'a Crate, name: &str) -> &'a Structure {
    krate
        .structures
        .iter()
        .chain(&krate.errors)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no structure {name}"))
}

pub fn member<'a>(s: &'a Structure, name: &str) -> &'a Member {
    s.members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{} has no member {name}", s.name))
}
