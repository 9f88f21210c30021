//! # chime-caps
//!
//! A Rust client for the Amazon Chime SDK Meetings attendee-capability API
//! (`UpdateAttendeeCapabilities`, `BatchUpdateAttendeeCapabilitiesExcept`, and the
//! meeting/attendee operations they depend on), generated from the service's Smithy
//! model, with middleware that rejects capability changes the service would refuse
//! before a request leaves the process.
//!
//! The public surface mirrors `aws-sdk-chimesdkmeetings`: code written for it ports by
//! changing the crate name. The modules [`config`], [`error`], [`meta`],
//! [`operation`], [`primitives`] and [`types`] are the generated crate's
//! (`generated/`); [`Client`] is the generated client with the capability
//! [`validation`] installed.

pub use chime_caps_generated::{config, error, meta, operation, primitives, types, Config, Error};

pub mod client;
pub use client::Client;

pub mod rules;
pub mod timeouts;
pub mod validation;

#[cfg(feature = "emulator")]
pub mod emulator;

/// The README's examples, compiled as doctests so the documentation cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
