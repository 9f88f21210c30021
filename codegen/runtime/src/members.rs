//! [`Members`]: a structure's members by their model names, so that code written
//! against one version of a model can notice the members a later version adds.

use std::any::Any;

/// A generated structure's members, by the names the model gives them. Every structure
/// of a generated crate implements it.
///
/// Code written by hand around a generated crate (a validation layer, say) knows the
/// members that existed when it was written. When the model gains a member and the crate
/// is regenerated, that code still compiles, and with this trait it can find the values
/// set in members it does not know: compare the names with its own list, and downcast a
/// value to the types it understands.
pub trait Members {
    /// The members' names in the model, in model order.
    const NAMES: &'static [&'static str];

    /// Calls `visit` with the model name and the value of each member that holds one, in
    /// model order: an optional member (an `Option<T>` field) when it is set, with the
    /// `T`; any other member always.
    fn visit_members(&self, visit: &mut dyn FnMut(&'static str, &dyn Any));
}
