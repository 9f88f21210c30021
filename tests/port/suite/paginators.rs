//! The `ListAttendees` paginator (the only paginated operation; `ListTagsForResource`
//! is not paginated and the model names no items member, so there is no `items()`):
//! pages, page size, tokens, duplicate-token protection and errors.

use aws_sdk_chimesdkmeetings::types::Attendee;
use serde_json::{json, Value};

use crate::operations::{attendee, attendee_json};
use crate::support::{client_with, Canned, Recorder, MEETING_ID};

fn page(ids: &[&str], next_token: Option<&str>) -> Canned {
    let attendees: Vec<Value> = ids.iter().map(|id| attendee_json("user", id)).collect();
    let mut body = json!({"Attendees": attendees});
    if let Some(token) = next_token {
        body["NextToken"] = json!(token);
    }
    Canned::json(200, body)
}

/// `(next-token, max-results)` of every request sent.
fn tokens_and_sizes(http: &Recorder) -> Vec<(Option<String>, Option<String>)> {
    http.sent()
        .iter()
        .map(|sent| {
            let query = sent
                .target()
                .split_once('?')
                .map_or("", |(_, q)| q)
                .to_string();
            let param = |name: &str| {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                    .map(str::to_string)
            };
            (param("next-token"), param("max-results"))
        })
        .collect()
}

fn ids(attendees: &[Attendee]) -> Vec<&str> {
    attendees.iter().filter_map(Attendee::attendee_id).collect()
}

#[tokio::test]
async fn pages_follow_the_tokens_until_the_last_page() {
    let http = Recorder::answering([
        page(&["a1", "a2"], Some("t2")),
        page(&["a3", "a4"], Some("t3")),
        page(&["a5"], None),
    ]);
    let pages = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .into_paginator()
        .page_size(2)
        .send()
        .try_collect()
        .await
        .expect("three canned pages");
    assert_eq!(pages.len(), 3);
    let all: Vec<Attendee> = pages.iter().flat_map(|p| p.attendees().to_vec()).collect();
    assert_eq!(ids(&all), ["a1", "a2", "a3", "a4", "a5"]);
    assert_eq!(all[0], attendee("user", "a1"));
    assert_eq!(pages[2].next_token(), None);
    let two = Some("2".to_string());
    assert_eq!(
        tokens_and_sizes(&http),
        [
            (None, two.clone()),
            (Some("t2".to_string()), two.clone()),
            (Some("t3".to_string()), two)
        ]
    );
}

/// Without `page_size` no `max-results` is sent, unless the builder set one; an
/// empty token ends the pagination like a missing one.
#[tokio::test]
async fn page_size_comes_from_the_builder_or_nowhere() {
    let http = Recorder::answering([page(&["a1"], Some("t2")), page(&["a2"], Some(""))]);
    let mut pages = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .max_results(7)
        .into_paginator()
        .send();
    let mut seen = 0;
    while let Some(page) = pages.next().await {
        page.expect("canned pages");
        seen += 1;
    }
    assert_eq!(seen, 2);
    assert_eq!(
        tokens_and_sizes(&http),
        [
            (None, Some("7".to_string())),
            (Some("t2".to_string()), Some("7".to_string()))
        ]
    );

    let http = Recorder::answering([page(&["a1"], None)]);
    client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .expect("one canned page");
    assert_eq!(tokens_and_sizes(&http), [(None, None)]);
}

/// A service that hands back the token it was given would loop forever: by default
/// the paginator stops there; `stop_on_duplicate_token(false)` goes on.
#[tokio::test]
async fn duplicate_token_stops_unless_told_otherwise() {
    let answers = || {
        [
            page(&["a1"], Some("same")),
            page(&["a2"], Some("same")),
            page(&["a3"], None),
        ]
    };
    let http = Recorder::answering(answers());
    let pages = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .expect("canned pages");
    assert_eq!(pages.len(), 2);

    let http = Recorder::answering(answers());
    let pages = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .into_paginator()
        .stop_on_duplicate_token(false)
        .send()
        .try_collect()
        .await
        .expect("canned pages");
    assert_eq!(pages.len(), 3);
}

/// An error ends the stream after being yielded.
#[tokio::test]
async fn an_error_page_ends_the_stream() {
    let http = Recorder::answering([
        page(&["a1"], Some("t2")),
        Canned::error(404, "NotFoundException", "meeting ended"),
    ]);
    let mut pages = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .into_paginator()
        .send();
    assert!(pages.next().await.expect("first page").is_ok());
    let err = pages
        .next()
        .await
        .expect("second item")
        .expect_err("the 404");
    assert!(err.into_service_error().is_not_found_exception());
    assert!(pages.next().await.is_none());
    assert_eq!(http.sent().len(), 2);
}

/// A missing required label is reported through the stream, not by panicking.
#[tokio::test]
async fn a_construction_error_is_yielded() {
    let http = Recorder::answering([page(&["a1"], None)]);
    let mut pages = client_with(&http).list_attendees().into_paginator().send();
    let err = pages
        .next()
        .await
        .expect("one item")
        .expect_err("meeting_id is missing");
    assert!(
        matches!(
            err,
            aws_sdk_chimesdkmeetings::error::SdkError::ConstructionFailure(_)
        ),
        "{err:?}"
    );
    assert!(pages.next().await.is_none());
    assert!(http.sent().is_empty());
}
