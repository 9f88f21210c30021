//! Every operation of the generated client, for the targets that try an input against
//! each of them (`responses`) or dispatch to the one a route names (`server`).

use chime_caps_generated::operation::{
    batch_create_attendee::BatchCreateAttendee,
    batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExcept,
    create_attendee::CreateAttendee, create_meeting::CreateMeeting,
    create_meeting_with_attendees::CreateMeetingWithAttendees, delete_attendee::DeleteAttendee,
    delete_meeting::DeleteMeeting, get_attendee::GetAttendee, get_meeting::GetMeeting,
    list_attendees::ListAttendees, list_tags_for_resource::ListTagsForResource,
    start_meeting_transcription::StartMeetingTranscription,
    stop_meeting_transcription::StopMeetingTranscription, tag_resource::TagResource,
    untag_resource::UntagResource, update_attendee_capabilities::UpdateAttendeeCapabilities,
};
use chime_caps_runtime::server::ServerOperation;

/// An operation whose input and output can be compared, for the round-trip checks (every
/// generated input and output derives `Clone` and `PartialEq`).
pub trait FuzzedOperation:
    ServerOperation<Input: Clone + PartialEq, Output: Clone + PartialEq>
{
}

impl<O> FuzzedOperation for O where
    O: ServerOperation<Input: Clone + PartialEq, Output: Clone + PartialEq>
{
}

/// Something done with each operation.
pub trait Visit {
    /// Called once per operation.
    fn visit<O: FuzzedOperation>(&mut self);
}

/// Calls `visitor` with every operation of the generated client (the fuzz corpus tests
/// check that this list matches the crate's route table).
pub fn each(visitor: &mut impl Visit) {
    visitor.visit::<BatchCreateAttendee>();
    visitor.visit::<BatchUpdateAttendeeCapabilitiesExcept>();
    visitor.visit::<CreateAttendee>();
    visitor.visit::<CreateMeeting>();
    visitor.visit::<CreateMeetingWithAttendees>();
    visitor.visit::<DeleteAttendee>();
    visitor.visit::<DeleteMeeting>();
    visitor.visit::<GetAttendee>();
    visitor.visit::<GetMeeting>();
    visitor.visit::<ListAttendees>();
    visitor.visit::<ListTagsForResource>();
    visitor.visit::<StartMeetingTranscription>();
    visitor.visit::<StopMeetingTranscription>();
    visitor.visit::<TagResource>();
    visitor.visit::<UntagResource>();
    visitor.visit::<UpdateAttendeeCapabilities>();
}
