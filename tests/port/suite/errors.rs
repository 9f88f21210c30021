//! Errors parsed from canned responses: every modelled error of the five
//! capability-carrying operations, an error the model does not name, the error
//! metadata accessors, the crate-wide `Error`, and how errors display.

use std::error::Error as _;
use std::fmt::Debug;
use std::future::Future;

use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;
use aws_sdk_chimesdkmeetings::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_chimesdkmeetings::operation::batch_create_attendee::BatchCreateAttendeeError;
use aws_sdk_chimesdkmeetings::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptError;
use aws_sdk_chimesdkmeetings::operation::create_attendee::CreateAttendeeError;
use aws_sdk_chimesdkmeetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesError;
use aws_sdk_chimesdkmeetings::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilitiesError, UpdateAttendeeCapabilitiesOutput,
};
use aws_sdk_chimesdkmeetings::operation::RequestId;
use aws_sdk_chimesdkmeetings::types::{
    AttendeeIdItem, CreateAttendeeRequestItem, MediaCapabilities,
};
use aws_sdk_chimesdkmeetings::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::CreateUnhandledError;

use crate::operations::capabilities;
use crate::support::{bare_builder, Canned, Recorder, ATTENDEE_ID, MEETING_ID, REQUEST_ID};

/// A client that gives up after the first answer, so each canned error is parsed once.
fn client_answering(answer: Canned) -> Client {
    let http = Recorder::answering([answer]);
    Client::from_conf(
        bare_builder()
            .http_client(http)
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

fn listener_caps() -> aws_sdk_chimesdkmeetings::types::AttendeeCapabilities {
    capabilities(
        MediaCapabilities::Receive,
        MediaCapabilities::Receive,
        MediaCapabilities::None,
    )
}

/// One modelled error: the name the service puts in `x-amzn-ErrorType`, its status,
/// and the `is_*` check of the operation's error that must recognise it.
type Modelled<E> = (&'static str, u16, fn(&E) -> bool);

/// Sends through `call` once per entry of `table`, answered with that error, and
/// checks the parsed error: exactly its own `is_*` is true, and code, message and
/// request id come from the response.
async fn assert_modelled_errors<E, O, Fut>(call: impl Fn(Client) -> Fut, table: &[Modelled<E>])
where
    E: ProvideErrorMetadata
        + RequestId
        + CreateUnhandledError
        + std::error::Error
        + Send
        + Sync
        + 'static,
    O: Debug,
    Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
{
    for &(name, status, _) in table {
        let message = format!("canned {name}");
        let err = call(client_answering(Canned::error(status, name, &message)))
            .await
            .expect_err("a canned error answer is an error");
        assert_eq!(
            err.raw_response().map(|r| r.status().as_u16()),
            Some(status)
        );
        assert_eq!(err.code(), Some(name), "SdkError::code for {name}");
        let service = err.into_service_error();
        for &(other, _, is) in table {
            assert_eq!(
                is(&service),
                other == name,
                "is_* of {other} on {name}: {service:?}"
            );
        }
        assert_eq!(service.code(), Some(name));
        assert_eq!(service.message(), Some(message.as_str()));
        assert_eq!(service.meta().code(), Some(name));
        assert_eq!(service.request_id(), Some(REQUEST_ID));
        let shown = service.to_string();
        assert!(
            shown.contains(name) && shown.contains(&message),
            "Display of {name}: {shown}"
        );
    }
}

#[tokio::test]
async fn update_attendee_capabilities_modelled_errors() {
    type E = UpdateAttendeeCapabilitiesError;
    assert_modelled_errors(
        |client| async move {
            client
                .update_attendee_capabilities()
                .meeting_id(MEETING_ID)
                .attendee_id(ATTENDEE_ID)
                .capabilities(listener_caps())
                .send()
                .await
        },
        &[
            ("BadRequestException", 400, E::is_bad_request_exception),
            ("ConflictException", 409, E::is_conflict_exception),
            ("ForbiddenException", 403, E::is_forbidden_exception),
            ("NotFoundException", 404, E::is_not_found_exception),
            (
                "ServiceFailureException",
                500,
                E::is_service_failure_exception,
            ),
            (
                "ServiceUnavailableException",
                503,
                E::is_service_unavailable_exception,
            ),
            ("ThrottlingException", 429, E::is_throttling_exception),
            ("UnauthorizedException", 401, E::is_unauthorized_exception),
        ],
    )
    .await;
}

#[tokio::test]
async fn batch_update_attendee_capabilities_except_modelled_errors() {
    type E = BatchUpdateAttendeeCapabilitiesExceptError;
    assert_modelled_errors(
        |client| async move {
            client
                .batch_update_attendee_capabilities_except()
                .meeting_id(MEETING_ID)
                .excluded_attendee_ids(
                    AttendeeIdItem::builder()
                        .attendee_id(ATTENDEE_ID)
                        .build()
                        .unwrap(),
                )
                .capabilities(listener_caps())
                .send()
                .await
        },
        &[
            ("BadRequestException", 400, E::is_bad_request_exception),
            ("ConflictException", 409, E::is_conflict_exception),
            ("ForbiddenException", 403, E::is_forbidden_exception),
            ("NotFoundException", 404, E::is_not_found_exception),
            (
                "ServiceFailureException",
                500,
                E::is_service_failure_exception,
            ),
            (
                "ServiceUnavailableException",
                503,
                E::is_service_unavailable_exception,
            ),
            ("ThrottlingException", 429, E::is_throttling_exception),
            ("UnauthorizedException", 401, E::is_unauthorized_exception),
        ],
    )
    .await;
}

#[tokio::test]
async fn create_attendee_modelled_errors() {
    type E = CreateAttendeeError;
    assert_modelled_errors(
        |client| async move {
            client
                .create_attendee()
                .meeting_id(MEETING_ID)
                .external_user_id("user-1")
                .capabilities(listener_caps())
                .send()
                .await
        },
        &[
            ("BadRequestException", 400, E::is_bad_request_exception),
            ("ForbiddenException", 403, E::is_forbidden_exception),
            (
                "LimitExceededException",
                400,
                E::is_limit_exceeded_exception,
            ),
            ("NotFoundException", 404, E::is_not_found_exception),
            (
                "ServiceFailureException",
                500,
                E::is_service_failure_exception,
            ),
            (
                "ServiceUnavailableException",
                503,
                E::is_service_unavailable_exception,
            ),
            ("ThrottlingException", 429, E::is_throttling_exception),
            ("UnauthorizedException", 401, E::is_unauthorized_exception),
            (
                "UnprocessableEntityException",
                422,
                E::is_unprocessable_entity_exception,
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn batch_create_attendee_modelled_errors() {
    type E = BatchCreateAttendeeError;
    assert_modelled_errors(
        |client| async move {
            client
                .batch_create_attendee()
                .meeting_id(MEETING_ID)
                .attendees(
                    CreateAttendeeRequestItem::builder()
                        .external_user_id("user-1")
                        .capabilities(listener_caps())
                        .build()
                        .unwrap(),
                )
                .send()
                .await
        },
        &[
            ("BadRequestException", 400, E::is_bad_request_exception),
            ("ForbiddenException", 403, E::is_forbidden_exception),
            (
                "LimitExceededException",
                400,
                E::is_limit_exceeded_exception,
            ),
            ("NotFoundException", 404, E::is_not_found_exception),
            (
                "ServiceFailureException",
                500,
                E::is_service_failure_exception,
            ),
            (
                "ServiceUnavailableException",
                503,
                E::is_service_unavailable_exception,
            ),
            ("ThrottlingException", 429, E::is_throttling_exception),
            ("UnauthorizedException", 401, E::is_unauthorized_exception),
            (
                "UnprocessableEntityException",
                422,
                E::is_unprocessable_entity_exception,
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn create_meeting_with_attendees_modelled_errors() {
    type E = CreateMeetingWithAttendeesError;
    assert_modelled_errors(
        |client| async move {
            client
                .create_meeting_with_attendees()
                .media_region("us-east-1")
                .external_meeting_id("standup-42")
                .attendees(
                    CreateAttendeeRequestItem::builder()
                        .external_user_id("user-1")
                        .capabilities(listener_caps())
                        .build()
                        .unwrap(),
                )
                .send()
                .await
        },
        &[
            ("BadRequestException", 400, E::is_bad_request_exception),
            ("ConflictException", 409, E::is_conflict_exception),
            ("ForbiddenException", 403, E::is_forbidden_exception),
            (
                "LimitExceededException",
                400,
                E::is_limit_exceeded_exception,
            ),
            (
                "ServiceFailureException",
                500,
                E::is_service_failure_exception,
            ),
            (
                "ServiceUnavailableException",
                503,
                E::is_service_unavailable_exception,
            ),
            ("ThrottlingException", 429, E::is_throttling_exception),
            ("UnauthorizedException", 401, E::is_unauthorized_exception),
        ],
    )
    .await;
}

async fn update_capabilities_answered_with(
    answer: Canned,
) -> SdkError<UpdateAttendeeCapabilitiesError, HttpResponse> {
    client_answering(answer)
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(listener_caps())
        .send()
        .await
        .expect_err("a canned error answer is an error")
}

/// The members of a modelled error struct are read from the body, and
/// `RetryAfterSeconds` from the `Retry-After` header.
#[tokio::test]
async fn modelled_error_members() {
    let err = update_capabilities_answered_with(
        Canned::error(503, "ServiceUnavailableException", "come back later")
            .header("retry-after", "7"),
    )
    .await;
    match err.into_service_error() {
        UpdateAttendeeCapabilitiesError::ServiceUnavailableException(unavailable) => {
            assert_eq!(unavailable.code(), Some("ServiceUnavailableException"));
            assert_eq!(unavailable.message(), Some("come back later"));
            assert_eq!(unavailable.retry_after_seconds(), Some("7"));
            assert_eq!(
                unavailable.meta().code(),
                Some("ServiceUnavailableException")
            );
            assert_eq!(RequestId::request_id(&unavailable), Some(REQUEST_ID));
        }
        other => panic!("expected ServiceUnavailableException, got {other:?}"),
    }
}

/// The error type may also come only in the body (`__type`, with a namespace) and
/// with a `:http://...` suffix in the header; both name the same modelled error.
#[tokio::test]
async fn error_type_spellings() {
    let in_body = Canned::json(
        409,
        serde_json::json!({"__type": "com.amazonaws.chimesdkmeetings#ConflictException", "Message": "in body"}),
    );
    let suffixed = Canned::json(409, serde_json::json!({"Message": "suffixed"})).header(
        "x-amzn-errortype",
        "ConflictException:http://internal.amazon.com/coral/",
    );
    for (answer, message) in [(in_body, "in body"), (suffixed, "suffixed")] {
        let service = update_capabilities_answered_with(answer)
            .await
            .into_service_error();
        assert!(service.is_conflict_exception(), "{service:?}");
        assert_eq!(service.message(), Some(message));
    }
}

/// An error the model does not name is `Unhandled`: no `is_*` matches, but code,
/// message and request id are kept, and it displays the way the official crate does.
#[tokio::test]
async fn unmodelled_error_is_unhandled() {
    let err =
        update_capabilities_answered_with(Canned::error(418, "TeapotException", "short and stout"))
            .await;
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    let context = DisplayErrorContext(&err).to_string();
    assert!(context.contains("TeapotException"), "{context}");
    assert!(context.contains("short and stout"), "{context}");
    let service = err.into_service_error();
    let recognised = [
        service.is_bad_request_exception(),
        service.is_conflict_exception(),
        service.is_forbidden_exception(),
        service.is_not_found_exception(),
        service.is_service_failure_exception(),
        service.is_service_unavailable_exception(),
        service.is_throttling_exception(),
        service.is_unauthorized_exception(),
    ];
    assert_eq!(recognised, [false; 8]);
    assert_eq!(service.code(), Some("TeapotException"));
    assert_eq!(service.message(), Some("short and stout"));
    assert_eq!(service.request_id(), Some(REQUEST_ID));
    assert_eq!(service.to_string(), "unhandled error (TeapotException)");
    // The response's error metadata is the source of an unhandled error.
    assert!(service.source().is_some());
}

/// Every operation error converts into the crate-wide `Error`, directly and from the
/// `SdkError`, keeping the variant, code and message.
///
/// Two request ids are in play: the `x-amzn-requestid` header (what the `RequestId`
/// trait reports for the operation error and for the error struct) and the model's
/// `RequestId` body member (the struct's inherent `request_id()`, which is also what
/// the crate-wide `Error` reports).
#[tokio::test]
async fn crate_error_conversions_and_request_ids() {
    let answer = Canned::json(
        409,
        serde_json::json!({"Code": "ConflictException", "Message": "busy", "RequestId": "id-in-body"}),
    )
    .header("x-amzn-errortype", "ConflictException");
    let err = update_capabilities_answered_with(answer.clone()).await;
    let from_sdk_error: aws_sdk_chimesdkmeetings::Error = err.into();
    assert!(
        matches!(
            from_sdk_error,
            aws_sdk_chimesdkmeetings::Error::ConflictException(_)
        ),
        "{from_sdk_error:?}"
    );
    assert_eq!(from_sdk_error.code(), Some("ConflictException"));
    assert_eq!(from_sdk_error.message(), Some("busy"));
    assert_eq!(from_sdk_error.request_id(), Some("id-in-body"));

    let service = update_capabilities_answered_with(answer)
        .await
        .into_service_error();
    assert_eq!(service.request_id(), Some(REQUEST_ID));
    let UpdateAttendeeCapabilitiesError::ConflictException(conflict) = &service else {
        panic!("expected ConflictException, got {service:?}");
    };
    assert_eq!(conflict.request_id(), Some("id-in-body"));
    assert_eq!(RequestId::request_id(conflict), Some(REQUEST_ID));

    let without_body_id =
        update_capabilities_answered_with(Canned::error(409, "ConflictException", "busy")).await;
    let crate_error: aws_sdk_chimesdkmeetings::Error = without_body_id.into();
    assert_eq!(crate_error.request_id(), None);

    let service =
        update_capabilities_answered_with(Canned::error(404, "NotFoundException", "gone"))
            .await
            .into_service_error();
    let from_service: aws_sdk_chimesdkmeetings::Error = service.into();
    assert!(matches!(
        from_service,
        aws_sdk_chimesdkmeetings::Error::NotFoundException(_)
    ));
}

/// `DisplayErrorContext` walks the whole chain: the `SdkError` wrapper and the
/// service error with its code and message.
#[tokio::test]
async fn display_error_context_of_a_service_error() {
    let err = update_capabilities_answered_with(Canned::error(
        400,
        "BadRequestException",
        "bad capabilities",
    ))
    .await;
    assert_eq!(err.to_string(), "service error");
    let context = DisplayErrorContext(&err).to_string();
    assert!(context.starts_with("service error: "), "{context}");
    assert!(context.contains("BadRequestException"), "{context}");
    assert!(context.contains("bad capabilities"), "{context}");
}

/// A success status with a body that is not JSON is not a panic: it is a service
/// error without code (unhandled), with the raw response attached.
#[tokio::test]
async fn unparseable_success_body_is_an_unhandled_service_error() {
    let err = client_answering(Canned::raw(200, "<html>not json</html>"))
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(listener_caps())
        .send()
        .await
        .expect_err("an HTML body cannot be parsed");
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
    let service = err.into_service_error();
    assert_eq!(service.code(), None);
    assert!(!service.is_bad_request_exception());
    assert!(
        service.source().is_some(),
        "the parse error is kept as the source"
    );
}

/// A success status with a body that is `null`, or an object followed by more, is
/// unreadable too; an empty body is an output without members.
#[tokio::test]
async fn unreadable_and_empty_success_bodies() {
    for body in ["null", "[]", r#"{"Attendee":{}} trailing"#] {
        let err = client_answering(Canned::raw(200, body))
            .update_attendee_capabilities()
            .meeting_id(MEETING_ID)
            .attendee_id(ATTENDEE_ID)
            .capabilities(listener_caps())
            .send()
            .await
            .expect_err("an unreadable body");
        assert!(
            matches!(err, SdkError::ServiceError(_)),
            "{body:?}: {err:?}"
        );
        let service = err.into_service_error();
        assert_eq!(service.to_string(), "unhandled error", "{body:?}");
        assert_eq!((service.code(), service.request_id()), (None, None));
    }
    let output = client_answering(Canned::raw(200, ""))
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(listener_caps())
        .send()
        .await
        .expect("an empty body is an output without members");
    assert!(output.attendee().is_none());
    assert_eq!(output.request_id(), Some(REQUEST_ID));
}

/// An error response whose body cannot be read — not JSON, not an object where the
/// named error needs one, a member of the wrong type — is `Unhandled` without any
/// metadata (no code, message or request id), whatever `x-amzn-ErrorType` says; its
/// source is the parse error.
#[tokio::test]
async fn unreadable_error_bodies_are_unhandled_without_metadata() {
    let answers = [
        Canned::raw(500, "<html>oops</html>").header("x-amzn-errortype", "ServiceFailureException"),
        Canned::raw(400, "null").header("x-amzn-errortype", "BadRequestException"),
        Canned::raw(400, "[]").header("x-amzn-errortype", "BadRequestException"),
        Canned::raw(409, r#"{"Code":"ConflictException"} {}"#)
            .header("x-amzn-errortype", "ConflictException"),
        Canned::json(409, serde_json::json!({"Code": 5, "Message": "busy"}))
            .header("x-amzn-errortype", "ConflictException"),
    ];
    for answer in answers {
        let err = update_capabilities_answered_with(answer.clone()).await;
        assert!(
            matches!(err, SdkError::ServiceError(_)),
            "{answer:?}: {err:?}"
        );
        assert_eq!(
            err.request_id(),
            Some(REQUEST_ID),
            "the raw response keeps it"
        );
        let service = err.into_service_error();
        assert_eq!(service.to_string(), "unhandled error", "{answer:?}");
        assert_eq!(
            (service.code(), service.message(), service.request_id()),
            (None, None, None),
            "{answer:?}"
        );
        assert!(!service.is_conflict_exception() && !service.is_bad_request_exception());
        assert!(service.source().is_some(), "{answer:?}: the parse error");
        let crate_error: aws_sdk_chimesdkmeetings::Error = service.into();
        assert_eq!(crate_error.request_id(), None);
    }
}

/// How an error body is read: the code from `x-amzn-ErrorType`, else the body's `code`
/// (before `__type`, wherever they are) without namespace or URL; only string values
/// count; of `message`, `Message` and `errorMessage` the last one wins.
#[tokio::test]
async fn error_body_fields() {
    let cases = [
        (
            serde_json::json!({"__type": "com.amazonaws.chime#BadRequestException:http://internal", "message": "lower"}),
            Some("BadRequestException"),
            Some("lower"),
        ),
        (
            serde_json::json!({"code": "ConflictException", "__type": "BadRequestException", "Message": "first", "errorMessage": "last"}),
            Some("ConflictException"),
            Some("last"),
        ),
        (
            serde_json::json!({"code": 409, "__type": "NotFoundException", "message": {"text": "x"}}),
            Some("NotFoundException"),
            None,
        ),
    ];
    for (body, code, message) in cases {
        let service = update_capabilities_answered_with(Canned::json(400, body.clone()))
            .await
            .into_service_error();
        assert_eq!(
            (service.code(), service.message()),
            (code, message),
            "{body}"
        );
        assert_eq!(service.request_id(), Some(REQUEST_ID), "{body}");
    }
}

/// `RetryAfterSeconds` is a string member: a `Retry-After` header that is not a
/// number is kept as it is.
#[tokio::test]
async fn retry_after_header_is_kept_as_text() {
    let service = update_capabilities_answered_with(
        Canned::error(503, "ServiceUnavailableException", "later").header("retry-after", "soon"),
    )
    .await
    .into_service_error();
    let UpdateAttendeeCapabilitiesError::ServiceUnavailableException(unavailable) = &service else {
        panic!("expected ServiceUnavailableException, got {service:?}");
    };
    assert_eq!(unavailable.retry_after_seconds(), Some("soon"));
}

/// Error structures display as `Name` or `Name: message`; the crate-wide `Error`
/// displays like the structure it holds and, unlike the operation error, has no source
/// for a modelled error (so `DisplayErrorContext` names it once).
#[tokio::test]
async fn error_structures_and_the_crate_error_display() {
    use aws_sdk_chimesdkmeetings::types::error::{BadRequestException, ConflictException};

    let conflict = ConflictException::builder()
        .code("C")
        .message("busy")
        .request_id("rid")
        .build();
    assert_eq!(conflict.to_string(), "ConflictException: busy");
    assert_eq!(
        format!("{conflict:?}"),
        r#"ConflictException { code: Some("C"), message: Some("busy"), request_id: Some("rid"), meta: ErrorMetadata { code: None, message: None, extras: None } }"#
    );
    assert_eq!(
        BadRequestException::builder().build().to_string(),
        "BadRequestException"
    );

    let operation_error =
        update_capabilities_answered_with(Canned::error(409, "ConflictException", "busy"))
            .await
            .into_service_error();
    assert!(
        operation_error.source().is_some(),
        "the operation error wraps the structure"
    );
    let crate_error: aws_sdk_chimesdkmeetings::Error = operation_error.into();
    assert_eq!(crate_error.to_string(), "ConflictException: busy");
    assert!(crate_error.source().is_none());
    let context = DisplayErrorContext(&crate_error).to_string();
    assert!(
        context.starts_with("ConflictException: busy (ConflictException("),
        "{context}"
    );

    let unhandled: aws_sdk_chimesdkmeetings::Error =
        update_capabilities_answered_with(Canned::raw(500, "<html>"))
            .await
            .into();
    assert_eq!(unhandled.to_string(), "unhandled error");
    assert!(unhandled.source().is_some(), "the parse error");
}

/// A request that cannot be built (a label left unset) is a construction failure that
/// names the member; as the crate-wide `Error` it is unhandled.
#[tokio::test]
async fn a_missing_label_is_a_construction_failure() {
    let http = Recorder::answering([]);
    let err = crate::support::client_with(&http)
        .get_meeting()
        .send()
        .await
        .expect_err("no meeting id");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(err.to_string(), "failed to construct request");
    assert!(
        DisplayErrorContext(&err).to_string().starts_with(
            "failed to construct request: meeting_id was missing: cannot be empty or unset"
        ),
        "{}",
        DisplayErrorContext(&err)
    );
    let crate_error: aws_sdk_chimesdkmeetings::Error = err.into();
    assert_eq!(crate_error.to_string(), "unhandled error");
    assert_eq!(crate_error.code(), None);
    assert!(http.sent().is_empty());
}

/// An error response that names no error type is `Unhandled` without a code, and
/// without its message and request id.
#[tokio::test]
async fn an_error_naming_no_type_keeps_no_metadata() {
    let service = update_capabilities_answered_with(Canned::json(
        400,
        serde_json::json!({"Message": "no type"}),
    ))
    .await
    .into_service_error();
    assert_eq!(service.to_string(), "unhandled error");
    assert_eq!(
        (service.code(), service.message(), service.request_id()),
        (None, None, None)
    );
}

async fn update_capabilities_with_blank_body(
) -> Result<UpdateAttendeeCapabilitiesOutput, SdkError<UpdateAttendeeCapabilitiesError, HttpResponse>>
{
    client_answering(Canned::raw(200, " \r\n"))
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(listener_caps())
        .send()
        .await
}

/// A success body of only blanks is not an empty body: it cannot be read.
#[tokio::test]
async fn a_blank_success_body_is_unhandled() {
    let err = update_capabilities_with_blank_body()
        .await
        .expect_err("not a JSON object");
    assert_eq!(err.into_service_error().to_string(), "unhandled error");
}
