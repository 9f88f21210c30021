//! The server half of the model's enums: a value the model does not list is refused.
//!
//! The generated `validate()` accepts enum values it does not know, as a client must
//! (the service may add values before the client is regenerated). A server knows every
//! value it accepts, so the emulator refuses the others, and a required enum member
//! that was absent from the body (read as the empty value) is reported as missing.
//!
//! Which members hold enums is declared once below, per structure; the unit test
//! `enum_members_match_the_model` compares the declaration with the project's Smithy
//! model, so a model update that adds an enum member fails the test until it is
//! declared here.

use chime_caps_generated::operation::batch_create_attendee::BatchCreateAttendeeInput;
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptInput;
use chime_caps_generated::operation::create_attendee::CreateAttendeeInput;
use chime_caps_generated::operation::create_meeting::CreateMeetingInput;
use chime_caps_generated::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesInput;
use chime_caps_generated::operation::delete_attendee::DeleteAttendeeInput;
use chime_caps_generated::operation::delete_meeting::DeleteMeetingInput;
use chime_caps_generated::operation::get_attendee::GetAttendeeInput;
use chime_caps_generated::operation::get_meeting::GetMeetingInput;
use chime_caps_generated::operation::list_attendees::ListAttendeesInput;
use chime_caps_generated::operation::list_tags_for_resource::ListTagsForResourceInput;
use chime_caps_generated::operation::start_meeting_transcription::StartMeetingTranscriptionInput;
use chime_caps_generated::operation::stop_meeting_transcription::StopMeetingTranscriptionInput;
use chime_caps_generated::operation::tag_resource::TagResourceInput;
use chime_caps_generated::operation::untag_resource::UntagResourceInput;
use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
use chime_caps_generated::types::{
    AttendeeCapabilities, AudioFeatures, ContentFeatures, ContentResolution,
    CreateAttendeeRequestItem, EngineTranscribeMedicalSettings, EngineTranscribeSettings,
    MediaCapabilities, MeetingFeatureStatus, MeetingFeaturesConfiguration,
    TranscribeContentIdentificationType, TranscribeContentRedactionType, TranscribeLanguageCode,
    TranscribeMedicalContentIdentificationType, TranscribeMedicalLanguageCode,
    TranscribeMedicalRegion, TranscribeMedicalSpecialty, TranscribeMedicalType,
    TranscribePartialResultsStability, TranscribeRegion, TranscribeVocabularyFilterMethod,
    TranscriptionConfiguration, VideoFeatures, VideoResolution,
};
use chime_caps_runtime::constraints::{ConstraintViolation, Path};

/// Every enum value inside a value is one the model lists.
pub(crate) trait KnownValues {
    /// The first enum value at or below `path` that the model does not list.
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation>;
}

impl<T: KnownValues> KnownValues for Option<T> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        self.as_ref()
            .map_or(Ok(()), |value| value.check_known(path))
    }
}

impl<T: KnownValues> KnownValues for Vec<T> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, item)| item.check_known(&Path::Index(path, i)))
    }
}

/// Enums: the value must be one of `values()`.
macro_rules! known_enums {
    ($($enum:ty),* $(,)?) => {$(
        impl KnownValues for $enum {
            fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
                if <$enum>::values().contains(&self.as_str()) {
                    Ok(())
                } else {
                    Err(ConstraintViolation::unknown_variant(path, self.as_str(), <$enum>::values()))
                }
            }
        }
    )*};
}

known_enums!(
    ContentResolution,
    MediaCapabilities,
    MeetingFeatureStatus,
    TranscribeContentIdentificationType,
    TranscribeContentRedactionType,
    TranscribeLanguageCode,
    TranscribeMedicalContentIdentificationType,
    TranscribeMedicalLanguageCode,
    TranscribeMedicalRegion,
    TranscribeMedicalSpecialty,
    TranscribeMedicalType,
    TranscribePartialResultsStability,
    TranscribeRegion,
    TranscribeVocabularyFilterMethod,
    VideoResolution,
);

/// Structures: each listed member (Rust field, model member name) is checked; the
/// structure's model shape name is recorded for the test against the model.
macro_rules! known_structures {
    ($($ty:ty = $shape:literal { $($field:ident: $member:literal),* $(,)? }),* $(,)?) => {
        $(
            impl KnownValues for $ty {
                #[allow(unused_variables)] // structures without enum members
                fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
                    $(self.$field.check_known(&Path::Field(path, $member))?;)*
                    Ok(())
                }
            }
        )*

        /// (model shape, its members that hold enums) for every structure above.
        #[cfg(test)]
        const DECLARED: &[(&str, &[&str])] = &[$(($shape, &[$($member),*])),*];
    };
}

known_structures! {
    AttendeeCapabilities = "AttendeeCapabilities" {
        audio: "Audio", video: "Video", content: "Content",
    },
    AudioFeatures = "AudioFeatures" { echo_reduction: "EchoReduction" },
    VideoFeatures = "VideoFeatures" { max_resolution: "MaxResolution" },
    ContentFeatures = "ContentFeatures" { max_resolution: "MaxResolution" },
    MeetingFeaturesConfiguration = "MeetingFeaturesConfiguration" {
        audio: "Audio", video: "Video", content: "Content",
    },
    CreateAttendeeRequestItem = "CreateAttendeeRequestItem" { capabilities: "Capabilities" },
    TranscriptionConfiguration = "TranscriptionConfiguration" {
        engine_transcribe_settings: "EngineTranscribeSettings",
        engine_transcribe_medical_settings: "EngineTranscribeMedicalSettings",
    },
    EngineTranscribeSettings = "EngineTranscribeSettings" {
        language_code: "LanguageCode",
        vocabulary_filter_method: "VocabularyFilterMethod",
        region: "Region",
        partial_results_stability: "PartialResultsStability",
        content_identification_type: "ContentIdentificationType",
        content_redaction_type: "ContentRedactionType",
        preferred_language: "PreferredLanguage",
    },
    EngineTranscribeMedicalSettings = "EngineTranscribeMedicalSettings" {
        language_code: "LanguageCode",
        specialty: "Specialty",
        r#type: "Type",
        region: "Region",
        content_identification_type: "ContentIdentificationType",
    },
    BatchCreateAttendeeInput = "BatchCreateAttendeeRequest" { attendees: "Attendees" },
    BatchUpdateAttendeeCapabilitiesExceptInput = "BatchUpdateAttendeeCapabilitiesExceptRequest" {
        capabilities: "Capabilities",
    },
    CreateAttendeeInput = "CreateAttendeeRequest" { capabilities: "Capabilities" },
    CreateMeetingInput = "CreateMeetingRequest" { meeting_features: "MeetingFeatures" },
    CreateMeetingWithAttendeesInput = "CreateMeetingWithAttendeesRequest" {
        meeting_features: "MeetingFeatures", attendees: "Attendees",
    },
    DeleteAttendeeInput = "DeleteAttendeeRequest" {},
    DeleteMeetingInput = "DeleteMeetingRequest" {},
    GetAttendeeInput = "GetAttendeeRequest" {},
    GetMeetingInput = "GetMeetingRequest" {},
    ListAttendeesInput = "ListAttendeesRequest" {},
    ListTagsForResourceInput = "ListTagsForResourceRequest" {},
    StartMeetingTranscriptionInput = "StartMeetingTranscriptionRequest" {
        transcription_configuration: "TranscriptionConfiguration",
    },
    StopMeetingTranscriptionInput = "StopMeetingTranscriptionRequest" {},
    TagResourceInput = "TagResourceRequest" {},
    UntagResourceInput = "UntagResourceRequest" {},
    UpdateAttendeeCapabilitiesInput = "UpdateAttendeeCapabilitiesRequest" {
        capabilities: "Capabilities",
    },
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chime_caps_runtime::constraints::{Validate, ViolationKind};

    use super::*;

    type Shapes = serde_json::Map<String, serde_json::Value>;

    fn model() -> Shapes {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/chime-sdk-meetings.json");
        let text = std::fs::read_to_string(path).expect("the project's model");
        let json: serde_json::Value = serde_json::from_str(&text).expect("model JSON");
        json["shapes"].as_object().expect("shapes").clone()
    }

    fn shape<'a>(shapes: &'a Shapes, id: &str) -> &'a serde_json::Value {
        &shapes[id]
    }

    /// Whether a value of shape `id` can hold an enum somewhere inside.
    fn holds_enum(shapes: &Shapes, id: &str) -> bool {
        if id.starts_with("smithy.api#") {
            return false;
        }
        let s = shape(shapes, id);
        match s["type"].as_str() {
            Some("enum") => true,
            Some("string") => s["traits"].get("smithy.api#enum").is_some(),
            Some("list") => holds_enum(shapes, s["member"]["target"].as_str().unwrap()),
            Some("map") => holds_enum(shapes, s["value"]["target"].as_str().unwrap()),
            Some("structure") | Some("union") => members(s)
                .iter()
                .any(|(_, target)| holds_enum(shapes, target)),
            _ => false,
        }
    }

    fn members(s: &serde_json::Value) -> Vec<(String, String)> {
        s["members"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(name, member)| {
                        (name.clone(), member["target"].as_str().unwrap().to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The structure (possibly behind a list) that a member's target leads to.
    fn structure_behind(shapes: &Shapes, target: &str) -> Option<String> {
        let s = shape(shapes, target);
        match s["type"].as_str() {
            Some("structure") => Some(target.to_owned()),
            Some("list") => structure_behind(shapes, s["member"]["target"].as_str().unwrap()),
            _ => None,
        }
    }

    #[test]
    fn enum_members_match_the_model() {
        let shapes = model();
        let namespace = "com.amazonaws.chimesdkmeetings#";
        let declared: BTreeMap<String, BTreeSet<&str>> = DECLARED
            .iter()
            .map(|(shape, members)| {
                (
                    format!("{namespace}{shape}"),
                    members.iter().copied().collect(),
                )
            })
            .collect();
        // Start from every operation's input and follow the members that hold enums.
        let mut to_visit: Vec<String> = shapes
            .values()
            .filter(|s| s["type"] == "operation")
            .map(|s| s["input"]["target"].as_str().unwrap().to_owned())
            .collect();
        let mut visited = BTreeSet::new();
        while let Some(id) = to_visit.pop() {
            if !visited.insert(id.clone()) {
                continue;
            }
            let enum_members: Vec<(String, String)> = members(shape(&shapes, &id))
                .into_iter()
                .filter(|(_, target)| holds_enum(&shapes, target))
                .collect();
            let names: BTreeSet<&str> = enum_members.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                declared.get(&id),
                Some(&names),
                "{id}: declare exactly its enum-holding members in known_structures!"
            );
            to_visit.extend(
                enum_members
                    .iter()
                    .filter_map(|(_, target)| structure_behind(&shapes, target)),
            );
        }
        let unused: Vec<_> = declared.keys().filter(|k| !visited.contains(*k)).collect();
        assert!(unused.is_empty(), "declared but not reachable: {unused:?}");
    }

    #[test]
    fn unknown_and_missing_values_are_found_with_their_path() {
        let mut input = UpdateAttendeeCapabilitiesInput::builder()
            .meeting_id("0f0e0d0c-0b0a-4908-8706-050403020100")
            .attendee_id("0f0e0d0c-0b0a-4908-8706-050403020100")
            .capabilities(
                AttendeeCapabilities::builder()
                    .audio(MediaCapabilities::SendReceive)
                    .video(MediaCapabilities::from("Loud"))
                    .content(MediaCapabilities::None)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        // The generated constraints leave enum values alone ...
        assert_eq!(input.validate(), Ok(()));
        // ... the emulator does not.
        let violation = input.check_known(&Path::Root).unwrap_err();
        assert_eq!(violation.path, "Capabilities.Video");
        assert!(
            matches!(&violation.kind, ViolationKind::UnknownVariant { value, .. } if value == "Loud"),
            "{violation:?}"
        );
        if let Some(c) = input.capabilities.as_mut() {
            c.video = MediaCapabilities::Receive;
        }
        assert_eq!(input.check_known(&Path::Root), Ok(()));

        let items = BatchCreateAttendeeInput::builder()
            .meeting_id("0f0e0d0c-0b0a-4908-8706-050403020100")
            .attendees(
                CreateAttendeeRequestItem::builder()
                    .external_user_id("ok")
                    .build()
                    .unwrap(),
            )
            .attendees(
                CreateAttendeeRequestItem::builder()
                    .external_user_id("bad")
                    .capabilities(
                        AttendeeCapabilities::builder()
                            .audio(MediaCapabilities::from(""))
                            .video(MediaCapabilities::None)
                            .content(MediaCapabilities::None)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let violation = items.check_known(&Path::Root).unwrap_err();
        assert_eq!(violation.path, "Attendees[1].Capabilities.Audio");
    }
}
