//! The restJson1 binding of the emulator: authenticates each request, matches its
//! method and path to an operation, reads the labels, query and JSON body into the
//! generated input type, checks the model's constraints, calls the [`Service`], and
//! writes the generated output type (or the service's error shape) back.

use http::{Method, Uri};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;

use chime_caps_generated::constraints::{ConstraintViolation, Validate, ViolationKind};
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptInput;
use chime_caps_generated::operation::create_attendee::CreateAttendeeInput;
use chime_caps_generated::operation::create_meeting::CreateMeetingInput;
use chime_caps_generated::operation::delete_attendee::DeleteAttendeeInput;
use chime_caps_generated::operation::delete_meeting::DeleteMeetingInput;
use chime_caps_generated::operation::get_attendee::GetAttendeeInput;
use chime_caps_generated::operation::get_meeting::GetMeetingInput;
use chime_caps_generated::operation::list_attendees::ListAttendeesInput;
use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;

use super::server::{error_reply, Handler, IncomingRequest, Reply};
use super::service::{Service, ServiceError};
use super::sigv4::SigV4Verifier;

/// An operation with its path labels.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    CreateMeeting,
    GetMeeting(String),
    DeleteMeeting(String),
    CreateAttendee(String),
    ListAttendees(String),
    GetAttendee(String, String),
    DeleteAttendee(String, String),
    UpdateAttendeeCapabilities(String, String),
    BatchUpdateAttendeeCapabilitiesExcept(String),
}

/// The emulator's [`Handler`]: SigV4 verification in front of the [`Service`].
pub(crate) struct Api {
    verifier: SigV4Verifier,
    service: Service,
}

impl Api {
    pub(crate) fn new(verifier: SigV4Verifier, service: Service) -> Self {
        Api { verifier, service }
    }

    fn dispatch(&self, req: &IncomingRequest) -> Result<Reply, ServiceError> {
        self.verifier
            .verify(&req.method, &req.uri, &req.headers, &req.body)
            .map_err(|failure| {
                ServiceError::new(failure.status(), failure.error_type(), failure.to_string())
            })?;
        let service = &self.service;
        let body = &req.body;
        match route(&req.method, &req.uri)? {
            Route::CreateMeeting => {
                let input: CreateMeetingInput = parse_body(body)?;
                json(&service.create_meeting(checked(input)?)?)
            }
            Route::GetMeeting(meeting_id) => {
                let input = GetMeetingInput::builder().meeting_id(meeting_id).build();
                json(&service.get_meeting(checked(input.map_err(build_error)?)?)?)
            }
            Route::DeleteMeeting(meeting_id) => {
                let input = DeleteMeetingInput::builder().meeting_id(meeting_id).build();
                service.delete_meeting(checked(input.map_err(build_error)?)?)?;
                Ok(Reply::new(204))
            }
            Route::CreateAttendee(meeting_id) => {
                let mut input: CreateAttendeeInput = parse_body(body)?;
                input.meeting_id = Some(meeting_id);
                json(&service.create_attendee(checked(input)?)?)
            }
            Route::ListAttendees(meeting_id) => {
                let mut builder = ListAttendeesInput::builder().meeting_id(meeting_id);
                for (key, value) in query_pairs(&req.uri)? {
                    builder = match key.as_str() {
                        "next-token" => builder.next_token(value),
                        "max-results" => {
                            builder.max_results(value.trim().parse().map_err(|_| {
                                ServiceError::bad_request(format!(
                                    "max-results must be an integer, got '{value}'."
                                ))
                            })?)
                        }
                        _ => builder,
                    };
                }
                json(&service.list_attendees(checked(builder.build().map_err(build_error)?)?)?)
            }
            Route::GetAttendee(meeting_id, attendee_id) => {
                let input = GetAttendeeInput::builder()
                    .meeting_id(meeting_id)
                    .attendee_id(attendee_id)
                    .build();
                json(&service.get_attendee(checked(input.map_err(build_error)?)?)?)
            }
            Route::DeleteAttendee(meeting_id, attendee_id) => {
                let input = DeleteAttendeeInput::builder()
                    .meeting_id(meeting_id)
                    .attendee_id(attendee_id)
                    .build();
                service.delete_attendee(checked(input.map_err(build_error)?)?)?;
                Ok(Reply::new(204))
            }
            Route::UpdateAttendeeCapabilities(meeting_id, attendee_id) => {
                let mut input: UpdateAttendeeCapabilitiesInput = parse_body(body)?;
                input.meeting_id = Some(meeting_id);
                input.attendee_id = Some(attendee_id);
                json(&service.update_attendee_capabilities(checked(input)?)?)
            }
            Route::BatchUpdateAttendeeCapabilitiesExcept(meeting_id) => {
                let mut input: BatchUpdateAttendeeCapabilitiesExceptInput = parse_body(body)?;
                input.meeting_id = Some(meeting_id);
                service.batch_update_attendee_capabilities_except(checked(input)?)?;
                Ok(Reply::new(200))
            }
        }
    }
}

impl Handler for Api {
    fn handle(&self, req: IncomingRequest) -> Reply {
        let reply = self.dispatch(&req);
        match reply {
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
                error_reply(e.status, e.error_type, &e.message, &req.request_id)
            }
        }
    }
}

/// Matches a request to an operation of the model's HTTP bindings.
fn route(method: &Method, uri: &Uri) -> Result<Route, ServiceError> {
    let path = uri.path();
    let segments = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(decode_label)
        .collect::<Result<Vec<_>, _>>()?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let batch_except = || {
        query_pairs(uri).is_ok_and(|pairs| {
            pairs
                .iter()
                .any(|(k, v)| k == "operation" && v == "batch-update-except")
        })
    };
    let m = |id: &str| id.to_string();
    let route = match (method.as_str(), segments.as_slice()) {
        ("POST", ["meetings"]) => Route::CreateMeeting,
        ("GET", ["meetings", id]) => Route::GetMeeting(m(id)),
        ("DELETE", ["meetings", id]) => Route::DeleteMeeting(m(id)),
        ("POST", ["meetings", id, "attendees"]) => Route::CreateAttendee(m(id)),
        ("GET", ["meetings", id, "attendees"]) => Route::ListAttendees(m(id)),
        ("PUT", ["meetings", id, "attendees", "capabilities"]) if batch_except() => {
            Route::BatchUpdateAttendeeCapabilitiesExcept(m(id))
        }
        ("GET", ["meetings", id, "attendees", a]) => Route::GetAttendee(m(id), m(a)),
        ("DELETE", ["meetings", id, "attendees", a]) => Route::DeleteAttendee(m(id), m(a)),
        ("PUT", ["meetings", id, "attendees", a, "capabilities"]) => {
            Route::UpdateAttendeeCapabilities(m(id), m(a))
        }
        _ => {
            return Err(ServiceError::new(
                404,
                "UnknownOperationException",
                format!(
                    "No Chime SDK Meetings operation matches {method} {}; this emulator serves \
                     the meeting, attendee and attendee-capability operations.",
                    uri.path_and_query().map_or(path, |p| p.as_str())
                ),
            ))
        }
    };
    Ok(route)
}

fn decode_label(segment: &str) -> Result<String, ServiceError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
            ServiceError::bad_request(format!(
                "The path segment '{segment}' is not percent-encoded UTF-8."
            ))
        })
}

/// The query's `key=value` pairs, decoded (`+` is a space, as in forms).
fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, ServiceError> {
    let Some(query) = uri.query() else {
        return Ok(Vec::new());
    };
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_decode_str(&spaced)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| {
                ServiceError::bad_request(format!(
                    "The query parameter '{s}' is not percent-encoded UTF-8."
                ))
            })
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Reads a JSON request body into an input type; an empty body is an empty object.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ServiceError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        ServiceError::bad_request(format!(
            "The request body is not valid JSON for this operation: {e}."
        ))
    })
}

/// The input, if it meets the model's constraints.
fn checked<T: Validate>(input: T) -> Result<T, ServiceError> {
    input
        .validate()
        .map_err(|v| ServiceError::bad_request(violation_message(&v)))?;
    Ok(input)
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

fn build_error(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::bad_request(format!("The request could not be read: {e}."))
}

fn json<T: Serialize>(output: &T) -> Result<Reply, ServiceError> {
    serde_json::to_vec(output)
        .map(|body| Reply::json(200, body))
        .map_err(|e| {
            ServiceError::service_failure(format!("The response could not be written: {e}."))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(method: &str, uri: &str) -> Result<Route, ServiceError> {
        route(&method.parse().unwrap(), &uri.parse().unwrap())
    }

    #[test]
    fn routes_follow_the_model_bindings() {
        assert_eq!(r("POST", "/meetings"), Ok(Route::CreateMeeting));
        assert_eq!(r("GET", "/meetings/m"), Ok(Route::GetMeeting("m".into())));
        assert_eq!(
            r("DELETE", "/meetings/m"),
            Ok(Route::DeleteMeeting("m".into()))
        );
        assert_eq!(
            r("GET", "/meetings/m/attendees?max-results=2"),
            Ok(Route::ListAttendees("m".into()))
        );
        assert_eq!(
            r("PUT", "/meetings/m/attendees/a/capabilities"),
            Ok(Route::UpdateAttendeeCapabilities("m".into(), "a".into()))
        );
        assert_eq!(
            r(
                "PUT",
                "/meetings/m/attendees/capabilities?operation=batch-update-except"
            ),
            Ok(Route::BatchUpdateAttendeeCapabilitiesExcept("m".into()))
        );
        assert_eq!(
            r("GET", "/meetings/m%2Fx/attendees/a%20b"),
            Ok(Route::GetAttendee("m/x".into(), "a b".into()))
        );
        for (method, uri) in [
            ("PUT", "/meetings/m/attendees/capabilities"),
            ("PATCH", "/meetings/m"),
            ("GET", "/"),
            ("GET", "/meetings/m/attendees/a/capabilities"),
        ] {
            let err = r(method, uri).unwrap_err();
            assert_eq!(
                (err.status, err.error_type),
                (404, "UnknownOperationException"),
                "{method} {uri}"
            );
        }
        assert_eq!(r("GET", "/meetings/%FF").unwrap_err().status, 400);
    }

    #[test]
    fn bodies_and_queries_are_decoded() {
        let q = query_pairs(&"/x?next-token=a%2Bb+c&max-results=5&flag".parse().unwrap()).unwrap();
        assert_eq!(
            q,
            vec![
                ("next-token".into(), "a+b c".into()),
                ("max-results".into(), "5".into()),
                ("flag".into(), String::new())
            ]
        );
        let input: CreateAttendeeInput = parse_body(b"  ").unwrap();
        assert_eq!(input.external_user_id, None);
        let err = parse_body::<CreateAttendeeInput>(b"{\"ExternalUserId\":").unwrap_err();
        assert_eq!(err.status, 400);
        assert!(err.message.contains("not valid JSON"), "{}", err.message);
    }

    #[test]
    fn absent_required_enums_read_as_required() {
        let input: UpdateAttendeeCapabilitiesInput =
            parse_body(br#"{"Capabilities":{"Audio":"SendReceive","Video":"None"}}"#).unwrap();
        let mut input = input;
        input.meeting_id = Some("0f0e0d0c-0b0a-4908-8706-050403020100".into());
        input.attendee_id = Some("0f0e0d0c-0b0a-4908-8706-050403020100".into());
        let err = checked(input).unwrap_err();
        assert!(
            err.message
                .starts_with("`Capabilities.Content` is required"),
            "{}",
            err.message
        );
    }
}
