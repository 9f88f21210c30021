//! The restJson1 binding of the emulator, taken from the generated server bindings so
//! that paths, labels, query strings and bodies have one source of truth with the
//! client: each request is authenticated, matched to an operation by the generated
//! [`Router`] over [`ROUTES`], read by the operation's `parse_request`, checked
//! against the model's constraints and enum values, handed to the [`Service`], and
//! answered with the operation's `write_output` (or the service's error shape).

use std::sync::Arc;

use aws_smithy_runtime_api::http::Headers;
use http::{HeaderName, HeaderValue, Method};

use chime_caps_generated::operation::batch_create_attendee::BatchCreateAttendee;
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExcept;
use chime_caps_generated::operation::create_attendee::CreateAttendee;
use chime_caps_generated::operation::create_meeting::CreateMeeting;
use chime_caps_generated::operation::create_meeting_with_attendees::CreateMeetingWithAttendees;
use chime_caps_generated::operation::delete_attendee::DeleteAttendee;
use chime_caps_generated::operation::delete_meeting::DeleteMeeting;
use chime_caps_generated::operation::get_attendee::GetAttendee;
use chime_caps_generated::operation::get_meeting::GetMeeting;
use chime_caps_generated::operation::list_attendees::ListAttendees;
use chime_caps_generated::operation::list_tags_for_resource::ListTagsForResource;
use chime_caps_generated::operation::start_meeting_transcription::StartMeetingTranscription;
use chime_caps_generated::operation::stop_meeting_transcription::StopMeetingTranscription;
use chime_caps_generated::operation::tag_resource::TagResource;
use chime_caps_generated::operation::untag_resource::UntagResource;
use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilities;
use chime_caps_generated::operation::ROUTES;
use chime_caps_runtime::constraints::{
    ConstraintViolation, KnownValues, Path, Validate, ViolationKind,
};
use chime_caps_runtime::operation::Operation;
use chime_caps_runtime::server::{NoRoute, Request, Response, Router, ServerOperation};

use super::server::{error_reply, Handler, IncomingRequest, Reply};
use super::service::{Service, ServiceError};
use super::sigv4::SigV4Verifier;

/// The emulator's [`Handler`]: SigV4 verification and routing in front of the
/// [`Service`].
pub(crate) struct Api {
    verifier: SigV4Verifier,
    service: Arc<Service>,
    router: Router,
}

impl Api {
    pub(crate) fn new(verifier: SigV4Verifier, service: Arc<Service>) -> Self {
        Api {
            verifier,
            service,
            router: Router::new(ROUTES),
        }
    }

    fn dispatch(&self, req: &IncomingRequest) -> Result<Reply, ServiceError> {
        self.verifier
            .verify(&req.method, &req.uri, &req.headers, &req.body)
            .map_err(|failure| {
                ServiceError::new(failure.status(), failure.error_type(), failure.to_string())
            })?;
        let headers = Headers::try_from(req.headers.clone()).map_err(|e| {
            ServiceError::bad_request(format!("The request headers could not be read: {e}."))
        })?;
        let target = req.uri.path_and_query().map_or("/", |p| p.as_str());
        let matched = self
            .router
            .route(req.method.as_str(), target, &headers, &req.body)
            .map_err(|no_route| unrouted(no_route, &req.method, target))?;
        reply(call(
            &self.service,
            matched.route.operation,
            &matched.request,
        )?)
    }
}

impl Handler for Api {
    fn handle(&self, req: IncomingRequest) -> Reply {
        match self.dispatch(&req) {
            Ok(reply) => reply,
            Err(e) => {
                tracing::debug!(
                    method = %req.method,
                    uri = %req.uri,
                    status = e.status,
                    error_type = e.error_type,
                    message = %e.message,
                    "request refused"
                );
                error_response(&e, &req.request_id)
            }
        }
    }
}

/// Runs operation `name` (a route's operation) and writes its response. One line per
/// operation: the handler for its input; everything else comes from the bindings.
macro_rules! operations {
    ($($operation:ty => $handler:ident),* $(,)?) => {
        fn call(service: &Service, name: &str, request: &Request<'_>) -> Result<Response, ServiceError> {
            $(
                if name == <$operation as Operation>::NAME {
                    return serve::<$operation>(request, |input| service.$handler(input));
                }
            )*
            Err(ServiceError::service_failure(format!(
                "The emulator routes {name} but does not serve it."
            )))
        }

        /// The operations [`call`] serves.
        #[cfg(test)]
        const SERVED: &[&str] = &[$(<$operation as Operation>::NAME),*];
    };
}

operations! {
    BatchCreateAttendee => batch_create_attendee,
    BatchUpdateAttendeeCapabilitiesExcept => batch_update_attendee_capabilities_except,
    CreateAttendee => create_attendee,
    CreateMeeting => create_meeting,
    CreateMeetingWithAttendees => create_meeting_with_attendees,
    DeleteAttendee => delete_attendee,
    DeleteMeeting => delete_meeting,
    GetAttendee => get_attendee,
    GetMeeting => get_meeting,
    ListAttendees => list_attendees,
    ListTagsForResource => list_tags_for_resource,
    StartMeetingTranscription => start_meeting_transcription,
    StopMeetingTranscription => stop_meeting_transcription,
    TagResource => tag_resource,
    UntagResource => untag_resource,
    UpdateAttendeeCapabilities => update_attendee_capabilities,
}

/// Reads `O`'s input from the request, checks it, runs `handle`, writes the output.
fn serve<O>(
    request: &Request<'_>,
    handle: impl FnOnce(O::Input) -> Result<O::Output, ServiceError>,
) -> Result<Response, ServiceError>
where
    O: ServerOperation,
    O::Input: Validate + KnownValues,
{
    let input = O::parse_request(request)
        .map_err(|e| ServiceError::bad_request(format!("The request could not be read: {e}.")))?;
    checked(&input)?;
    let output = handle(input)?;
    O::write_output(&output).map_err(|e| {
        ServiceError::service_failure(format!("The response could not be written: {e}."))
    })
}

/// The model's constraints, then its enum values (which `validate()` leaves to the
/// server; the generated server bindings check them with `KnownValues`, so an enum member
/// the model gains is checked without a change here).
fn checked<T: Validate + KnownValues>(input: &T) -> Result<(), ServiceError> {
    input
        .validate()
        .and_then(|()| input.check_known(&Path::Root))
        .map_err(|v| ServiceError::bad_request(violation_message(&v)))
}

fn violation_message(v: &ConstraintViolation) -> String {
    match &v.kind {
        // A required enum member that was absent reads as the empty value.
        ViolationKind::UnknownVariant { value, known } if value.is_empty() => format!(
            "`{}` is required; set it to one of {}.",
            v.path,
            known.join(", ")
        ),
        _ => format!("{v}."),
    }
}

/// The answer to a request no route takes: the service's `404
/// UnknownOperationException`, also when only the method differs; `400` for a target
/// that is not percent-encoded UTF-8.
fn unrouted(no_route: NoRoute, method: &Method, target: &str) -> ServiceError {
    let unknown = |detail: String| {
        ServiceError::new(
            404,
            "UnknownOperationException",
            format!("No Chime SDK Meetings operation matches {method} {target}{detail}."),
        )
    };
    match no_route {
        NoRoute::NotFound => unknown(String::new()),
        NoRoute::MethodNotAllowed(methods) => unknown(format!(
            "; the operations on this path use {}",
            methods.join(" or ")
        )),
        NoRoute::Malformed(reason) => {
            ServiceError::bad_request(format!("The request target cannot be read: {reason}."))
        }
    }
}

/// A generated response as the server's [`Reply`].
fn reply(response: Response) -> Result<Reply, ServiceError> {
    let mut reply = Reply::new(response.status).with_body(response.body);
    for (name, value) in response.headers {
        let header = HeaderName::try_from(name.as_str())
            .ok()
            .zip(HeaderValue::try_from(value.as_str()).ok())
            .ok_or_else(|| {
                ServiceError::service_failure(format!(
                    "The response header {name}: {value} cannot be sent."
                ))
            })?;
        reply = reply.with_header(header.0, header.1);
    }
    Ok(reply)
}

/// The service's error shape, with the modelled `ResourceName` member for the
/// tagging errors that have it.
fn error_response(e: &ServiceError, request_id: &str) -> Reply {
    let reply = error_reply(e.status, e.error_type, &e.message, request_id);
    let Some(arn) = &e.resource_name else {
        return reply;
    };
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&reply.body) {
        Ok(mut body) => {
            body.insert("ResourceName".into(), arn.as_str().into());
            let body = serde_json::Value::Object(body).to_string();
            reply.with_body(body)
        }
        Err(_) => reply,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chime_caps_generated::operation::batch_create_attendee::BatchCreateAttendeeInput;
    use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
    use chime_caps_generated::types::{
        AttendeeCapabilities, CreateAttendeeRequestItem, MediaCapabilities,
    };

    use super::*;

    #[test]
    fn every_generated_route_is_served() {
        let routed: BTreeSet<&str> = ROUTES.iter().map(|r| r.operation).collect();
        let served: BTreeSet<&str> = SERVED.iter().copied().collect();
        assert_eq!(routed, served);
        assert_eq!(routed.len(), 16);
    }

    fn route(method: &str, target: &str) -> Result<&'static str, ServiceError> {
        let router = Router::new(ROUTES);
        let headers = Headers::new();
        router
            .route(method, target, &headers, b"")
            .map(|m| m.route.operation)
            .map_err(|e| unrouted(e, &method.parse().unwrap(), target))
    }

    #[test]
    fn routes_follow_the_model_bindings() {
        for (method, target, operation) in [
            ("POST", "/meetings", "CreateMeeting"),
            (
                "POST",
                "/meetings?operation=create-attendees",
                "CreateMeetingWithAttendees",
            ),
            ("GET", "/meetings/m", "GetMeeting"),
            ("DELETE", "/meetings/m", "DeleteMeeting"),
            ("POST", "/meetings/m/attendees", "CreateAttendee"),
            (
                "POST",
                "/meetings/m/attendees?operation=batch-create",
                "BatchCreateAttendee",
            ),
            (
                "GET",
                "/meetings/m/attendees?max-results=2",
                "ListAttendees",
            ),
            ("GET", "/meetings/m/attendees/a", "GetAttendee"),
            ("DELETE", "/meetings/m/attendees/a", "DeleteAttendee"),
            (
                "PUT",
                "/meetings/m/attendees/a/capabilities",
                "UpdateAttendeeCapabilities",
            ),
            (
                "PUT",
                "/meetings/m/attendees/capabilities?operation=batch-update-except",
                "BatchUpdateAttendeeCapabilitiesExcept",
            ),
            (
                "POST",
                "/meetings/m/transcription?operation=start",
                "StartMeetingTranscription",
            ),
            (
                "POST",
                "/meetings/m/transcription?operation=stop",
                "StopMeetingTranscription",
            ),
            ("GET", "/tags?arn=arn%3Aaws", "ListTagsForResource"),
            ("POST", "/tags?operation=tag-resource", "TagResource"),
            ("POST", "/tags?operation=untag-resource", "UntagResource"),
        ] {
            assert_eq!(route(method, target), Ok(operation), "{method} {target}");
        }
        for (method, target) in [
            ("PUT", "/meetings/m/attendees/capabilities"),
            ("PATCH", "/meetings/m"),
            ("GET", "/"),
            ("GET", "/meetings/m/attendees/a/capabilities"),
            ("POST", "/meetings/m/transcription"),
            ("POST", "/tags"),
        ] {
            let err = route(method, target).unwrap_err();
            assert_eq!(
                (err.status, err.error_type),
                (404, "UnknownOperationException"),
                "{method} {target}"
            );
            assert!(err.message.contains(target), "{}", err.message);
        }
        let err = route("GET", "/meetings/%FF").unwrap_err();
        assert_eq!((err.status, err.error_type), (400, "BadRequestException"));
    }

    const GUID: &str = "0f0e0d0c-0b0a-4908-8706-050403020100";

    fn capabilities(audio: &str, video: &str, content: &str) -> AttendeeCapabilities {
        AttendeeCapabilities::builder()
            .audio(MediaCapabilities::from(audio))
            .video(MediaCapabilities::from(video))
            .content(MediaCapabilities::from(content))
            .build()
            .unwrap()
    }

    #[test]
    fn unknown_enum_values_are_refused_with_their_path() {
        let input = UpdateAttendeeCapabilitiesInput::builder()
            .meeting_id(GUID)
            .attendee_id(GUID)
            .capabilities(capabilities("SendReceive", "Loud", "None"))
            .build()
            .unwrap();
        // The generated constraints leave enum values alone, as a client must ...
        assert_eq!(input.validate(), Ok(()));
        // ... the server side does not.
        let err = checked(&input).unwrap_err();
        assert_eq!((err.status, err.error_type), (400, "BadRequestException"));
        assert!(
            err.message
                .starts_with("`Capabilities.Video` is `Loud`, which is not one of "),
            "{}",
            err.message
        );
        let known = UpdateAttendeeCapabilitiesInput::builder()
            .meeting_id(GUID)
            .attendee_id(GUID)
            .capabilities(capabilities("SendReceive", "Receive", "None"))
            .build()
            .unwrap();
        assert!(checked(&known).is_ok());

        let items = BatchCreateAttendeeInput::builder()
            .meeting_id(GUID)
            .attendees(
                CreateAttendeeRequestItem::builder()
                    .external_user_id("ok")
                    .build()
                    .unwrap(),
            )
            .attendees(
                CreateAttendeeRequestItem::builder()
                    .external_user_id("odd")
                    .capabilities(capabilities("Loud", "None", "None"))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let violation = items.check_known(&Path::Root).unwrap_err();
        assert_eq!(violation.path, "Attendees[1].Capabilities.Audio");
    }

    #[test]
    fn absent_required_enums_read_as_required() {
        let input = UpdateAttendeeCapabilitiesInput::builder()
            .meeting_id(GUID)
            .attendee_id(GUID)
            .capabilities(capabilities("SendReceive", "None", ""))
            .build()
            .unwrap();
        let err = checked(&input).unwrap_err();
        assert!(
            err.message
                .starts_with("`Capabilities.Content` is required; set it to one of"),
            "{}",
            err.message
        );
    }

    #[test]
    fn tagging_errors_name_the_resource() {
        let mut e = ServiceError::not_found("gone");
        let plain = error_response(&e, "rid");
        let body: serde_json::Value = serde_json::from_slice(&plain.body).unwrap();
        assert_eq!(body.get("ResourceName"), None);
        e.resource_name = Some("arn:aws:chime:us-east-1:1:meeting/x".into());
        let named = error_response(&e, "rid");
        let body: serde_json::Value = serde_json::from_slice(&named.body).unwrap();
        assert_eq!(body["ResourceName"], "arn:aws:chime:us-east-1:1:meeting/x");
        assert_eq!(body["RequestId"], "rid");
        assert_eq!(body["Code"], "NotFound");
    }
}
