//! What every error enum shares: the catch-all `Unhandled` variant's payload and the
//! standard trait implementations ([`impl_operation_error!`] for an operation's,
//! [`impl_service_error!`] for the crate-wide one).

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::error::metadata::ErrorMetadata;

/// The payload of an error enum's `Unhandled` variant: an error the model does not
/// name, or a response that could not be read.
///
/// Its contents are private on purpose: match errors with a wildcard arm and read
/// `.code()`, `.message()` and `.meta()` (`ProvideErrorMetadata`) instead, which keeps
/// working when a later model names the error.
#[deprecated(
    note = "Matching `Unhandled` directly is not forwards compatible: match with a wildcard arm and check `.code()`."
)]
#[derive(Debug)]
pub struct Unhandled {
    source: BoxError,
    meta: ErrorMetadata,
}

#[allow(deprecated)]
impl Unhandled {
    /// An unhandled error from `source`, with `meta`.
    pub fn new(source: impl Into<BoxError>, meta: ErrorMetadata) -> Self {
        Self {
            source: source.into(),
            meta,
        }
    }

    /// An unhandled error carrying only error metadata.
    pub fn from_meta(meta: ErrorMetadata) -> Self {
        Self {
            source: meta.clone().into(),
            meta,
        }
    }

    /// The error metadata.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The underlying error.
    pub fn source(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }

    /// `unhandled error (Code)` or `unhandled error`, as the official SDKs print it.
    pub fn fmt_display(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.meta.code() {
            Some(code) => write!(f, "unhandled error ({code})"),
            None => f.write_str("unhandled error"),
        }
    }
}

/// Implements `Display`, `Error`, `ProvideErrorMetadata`, `ProvideErrorKind`,
/// `CreateUnhandledError` and `RequestId` for an operation's error enum whose variants
/// each wrap an error structure, plus `Unhandled`. The enum must have a `meta()` method.
///
/// `retryable` lists the variants of `@retryable` errors with their kind
/// (`ThrottlingError`, `ClientError` or `ServerError`, as `@retryable` and the fault give it).
#[macro_export]
macro_rules! impl_operation_error {
    ($error:ident { $($variant:ident),* $(,)? } retryable { $($retryable:ident => $kind:ident),* $(,)? }) => {
        $crate::__impl_error_enum_display_and_meta!($error { $($variant),* });

        impl ::std::error::Error for $error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(inner) => ::std::option::Option::Some(inner),)*
                    #[allow(deprecated)]
                    Self::Unhandled(inner) => ::std::option::Option::Some(inner.source()),
                }
            }
        }

        impl $crate::deps::aws_smithy_types::retry::ProvideErrorKind for $error {
            fn code(&self) -> ::std::option::Option<&str> {
                $error::meta(self).code()
            }

            fn retryable_error_kind(&self) -> ::std::option::Option<$crate::deps::aws_smithy_types::retry::ErrorKind> {
                match self {
                    $(Self::$retryable(_) => ::std::option::Option::Some($crate::deps::aws_smithy_types::retry::ErrorKind::$kind),)*
                    #[allow(unreachable_patterns)]
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl $crate::deps::aws_smithy_runtime_api::client::result::CreateUnhandledError for $error {
            fn create_unhandled_error(
                source: ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>,
                meta: ::std::option::Option<$crate::deps::aws_smithy_types::error::ErrorMetadata>,
            ) -> Self {
                #[allow(deprecated)]
                Self::Unhandled($crate::error::Unhandled::new(source, meta.unwrap_or_default()))
            }
        }

        impl $crate::deps::aws_types::request_id::RequestId for $error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                $error::meta(self).request_id()
            }
        }
    };
}

/// Implements `Display`, `Error`, `ProvideErrorMetadata` and `RequestId` for a
/// service's crate-wide error enum (every error of every operation, plus `Unhandled`),
/// the way the official SDKs do: no `ProvideErrorKind` or `CreateUnhandledError`, a
/// variant's `source()` is its structure's (none), and a variant's request id is what
/// `request_id()` on its structure returns — the structure's own `RequestId` member
/// when the model gives it one (an inherent method wins over the trait), else the
/// response's request id. The enum must have a `meta()` method.
#[macro_export]
macro_rules! impl_service_error {
    ($error:ident { $($variant:ident),* $(,)? }) => {
        $crate::__impl_error_enum_display_and_meta!($error { $($variant),* });

        impl ::std::error::Error for $error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(inner) => ::std::error::Error::source(inner),)*
                    #[allow(deprecated)]
                    Self::Unhandled(inner) => ::std::option::Option::Some(inner.source()),
                }
            }
        }

        impl $crate::deps::aws_types::request_id::RequestId for $error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                #[allow(unused_imports)]
                use $crate::deps::aws_types::request_id::RequestId as _;
                match self {
                    $(Self::$variant(inner) => inner.request_id(),)*
                    #[allow(deprecated)]
                    Self::Unhandled(inner) => inner.meta().request_id(),
                }
            }
        }
    };
}

/// `Display` and `ProvideErrorMetadata` of an error enum (operation or crate-wide).
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_error_enum_display_and_meta {
    ($error:ident { $($variant:ident),* }) => {
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant(inner) => ::std::fmt::Display::fmt(inner, f),)*
                    #[allow(deprecated)]
                    Self::Unhandled(inner) => inner.fmt_display(f),
                }
            }
        }

        impl $crate::deps::aws_smithy_types::error::metadata::ProvideErrorMetadata for $error {
            fn meta(&self) -> &$crate::deps::aws_smithy_types::error::ErrorMetadata {
                $error::meta(self)
            }
        }
    };
}

/// Implements `Display`, `Error`, `ProvideErrorMetadata` and `RequestId` for an error
/// structure with a `meta` field. `Display` prints `$display`, then `: message` when the
/// structure has a message field `$message` that is set (always, when the field is marked
/// `required`: a `String`, not an `Option`; `: *** Sensitive Data Redacted ***` whether
/// set or not, when it is marked `redacted`), as the official SDKs do.
#[macro_export]
macro_rules! impl_error_structure {
    ($name:ident, $display:literal) => {
        $crate::__impl_error_structure_display!($name, |_, f| f.write_str($display));
    };
    ($name:ident, $display:literal, $message:ident) => {
        $crate::__impl_error_structure_display!($name, |this, f| {
            f.write_str($display)?;
            match &this.$message {
                ::std::option::Option::Some(message) => ::std::write!(f, ": {message}"),
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            }
        });
    };
    ($name:ident, $display:literal, $message:ident required) => {
        $crate::__impl_error_structure_display!($name, |this, f| {
            ::std::write!(f, "{}: {}", $display, this.$message)
        });
    };
    ($name:ident, $display:literal, $message:ident redacted) => {
        $crate::__impl_error_structure_display!($name, |_, f| f.write_str(::std::concat!(
            $display,
            ": *** Sensitive Data Redacted ***"
        )));
    };
}

/// The trait implementations of [`impl_error_structure!`], with `Display` written by `$fmt`
/// (a closure of the structure and the formatter).
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_error_structure_display {
    ($name:ident, $fmt:expr) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let fmt: fn(&Self, &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result = $fmt;
                fmt(self, f)
            }
        }

        impl ::std::error::Error for $name {}

        impl $crate::deps::aws_smithy_types::error::metadata::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::deps::aws_smithy_types::error::ErrorMetadata {
                &self.meta
            }
        }

        impl $crate::deps::aws_types::request_id::RequestId for $name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta.request_id()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use aws_smithy_types::error::ErrorMetadata;

    #[derive(Debug)]
    struct Plain {
        meta: ErrorMetadata,
    }
    crate::impl_error_structure!(Plain, "Plain");

    #[derive(Debug)]
    struct WithMessage {
        message: Option<String>,
        meta: ErrorMetadata,
    }
    crate::impl_error_structure!(WithMessage, "WithMessage", message);

    #[derive(Debug)]
    struct Secret {
        #[allow(dead_code)] // never displayed: that is the point
        message: Option<String>,
        meta: ErrorMetadata,
    }
    crate::impl_error_structure!(Secret, "Secret [SECRET]", message redacted);

    #[derive(Debug)]
    struct Required {
        message: String,
        meta: ErrorMetadata,
    }
    crate::impl_error_structure!(Required, "Required", message required);

    #[test]
    fn error_structures_display_like_the_official_sdks() {
        let meta = ErrorMetadata::default;
        assert_eq!(Plain { meta: meta() }.to_string(), "Plain");
        let with = |message: Option<&str>| WithMessage {
            message: message.map(str::to_owned),
            meta: meta(),
        };
        assert_eq!(with(Some("gone")).to_string(), "WithMessage: gone");
        assert_eq!(with(None).to_string(), "WithMessage");
        let required = |message: &str| Required {
            message: message.to_owned(),
            meta: meta(),
        };
        assert_eq!(required("taken").to_string(), "Required: taken");
        assert_eq!(required("").to_string(), "Required: ");
        for message in [Some("key=hunter2".to_owned()), None] {
            assert_eq!(
                Secret {
                    message,
                    meta: meta()
                }
                .to_string(),
                "Secret [SECRET]: *** Sensitive Data Redacted ***"
            );
        }
    }
}
