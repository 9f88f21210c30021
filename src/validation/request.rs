//! [`CapabilityRequest`]: the part of the five operations' inputs that the
//! capability rules judge, read from a type-erased input.

use aws_smithy_runtime_api::client::interceptors::context::Input;
use chime_caps_generated::operation::batch_create_attendee::BatchCreateAttendeeInput;
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptInput;
use chime_caps_generated::operation::create_attendee::CreateAttendeeInput;
use chime_caps_generated::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesInput;
use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
use chime_caps_generated::types::{AttendeeCapabilities, CreateAttendeeRequestItem};
use chime_caps_runtime::constraints::{ConstraintViolation, Validate};

use super::report::NoticeSubject;
use crate::rules::MeetingFeatures;

/// Where the meeting's features come from.
#[derive(Debug)]
pub(crate) enum FeatureSource<'a> {
    /// An existing meeting: what the client knows about it (`None` if the input has
    /// no meeting id; it then fails to serialize).
    Meeting(Option<&'a str>),
    /// `CreateMeetingWithAttendees`: the meeting the request itself creates.
    Created(MeetingFeatures),
}

/// The attendees whose capabilities a request sets.
#[derive(Debug)]
enum Requested<'a> {
    /// One set of capabilities, for `subject`.
    One(SubjectRef<'a>, Option<&'a AttendeeCapabilities>),
    /// One per item of `Attendees` (those without capabilities get the defaults).
    Items(&'a [CreateAttendeeRequestItem]),
}

/// [`NoticeSubject`], borrowed from the input until a notice needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SubjectRef<'a> {
    Attendee(&'a str),
    NewAttendee(&'a str),
    BatchedAttendees,
}

impl SubjectRef<'_> {
    /// The owned subject; ids are spelled in lower case, as the cache compares them.
    pub(crate) fn to_owned(self) -> NoticeSubject {
        match self {
            SubjectRef::Attendee(id) => NoticeSubject::Attendee(id.to_ascii_lowercase()),
            SubjectRef::NewAttendee(external) => NoticeSubject::NewAttendee(external.to_owned()),
            SubjectRef::BatchedAttendees => NoticeSubject::BatchedAttendees,
        }
    }
}

/// What the rules judge in one input of `UpdateAttendeeCapabilities`,
/// `BatchUpdateAttendeeCapabilitiesExcept`, `CreateAttendee`, `BatchCreateAttendee`
/// or `CreateMeetingWithAttendees`.
pub(crate) struct CapabilityRequest<'a> {
    /// The operation's name, for logs.
    pub(crate) operation: &'static str,
    input: &'a (dyn Validate + Send + Sync),
    pub(crate) features: FeatureSource<'a>,
    requested: Requested<'a>,
}

impl<'a> CapabilityRequest<'a> {
    /// The request, if `input` is the input of one of the five operations.
    pub(crate) fn of(input: &'a Input) -> Option<Self> {
        let request = |operation, input, features, requested| {
            Some(CapabilityRequest {
                operation,
                input,
                features,
                requested,
            })
        };
        if let Some(i) = input.downcast_ref::<UpdateAttendeeCapabilitiesInput>() {
            let subject = SubjectRef::Attendee(i.attendee_id.as_deref().unwrap_or_default());
            return request(
                "UpdateAttendeeCapabilities",
                i,
                FeatureSource::Meeting(i.meeting_id.as_deref()),
                Requested::One(subject, i.capabilities.as_ref()),
            );
        }
        if let Some(i) = input.downcast_ref::<BatchUpdateAttendeeCapabilitiesExceptInput>() {
            return request(
                "BatchUpdateAttendeeCapabilitiesExcept",
                i,
                FeatureSource::Meeting(i.meeting_id.as_deref()),
                Requested::One(SubjectRef::BatchedAttendees, i.capabilities.as_ref()),
            );
        }
        if let Some(i) = input.downcast_ref::<CreateAttendeeInput>() {
            let subject =
                SubjectRef::NewAttendee(i.external_user_id.as_deref().unwrap_or_default());
            return request(
                "CreateAttendee",
                i,
                FeatureSource::Meeting(i.meeting_id.as_deref()),
                Requested::One(subject, i.capabilities.as_ref()),
            );
        }
        if let Some(i) = input.downcast_ref::<BatchCreateAttendeeInput>() {
            return request(
                "BatchCreateAttendee",
                i,
                FeatureSource::Meeting(i.meeting_id.as_deref()),
                Requested::Items(i.attendees.as_deref().unwrap_or_default()),
            );
        }
        if let Some(i) = input.downcast_ref::<CreateMeetingWithAttendeesInput>() {
            let features = i
                .meeting_features
                .as_ref()
                .map(MeetingFeatures::from)
                .unwrap_or_default();
            return request(
                "CreateMeetingWithAttendees",
                i,
                FeatureSource::Created(features),
                Requested::Items(i.attendees.as_deref().unwrap_or_default()),
            );
        }
        None
    }

    /// The model's constraints on the whole input.
    pub(crate) fn validate(&self) -> Result<(), ConstraintViolation> {
        self.input.validate()
    }

    /// Each set of requested capabilities, with the index of its item in `Attendees`
    /// (for the two operations that list attendees) and whom it is for.
    pub(crate) fn capabilities(
        &self,
    ) -> impl Iterator<Item = (Option<usize>, SubjectRef<'a>, &'a AttendeeCapabilities)> + 'a {
        let (one, items) = match self.requested {
            Requested::One(subject, caps) => (caps.map(|caps| (None, subject, caps)), &[][..]),
            Requested::Items(items) => (None, items),
        };
        let listed = items.iter().enumerate().filter_map(|(index, item)| {
            let subject = SubjectRef::NewAttendee(&item.external_user_id);
            Some((Some(index), subject, item.capabilities.as_ref()?))
        });
        one.into_iter().chain(listed)
    }
}
