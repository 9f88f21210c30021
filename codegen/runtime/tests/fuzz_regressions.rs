//! What the fuzz targets (and their seed corpora) found wrong in this crate, each
//! replayed on the code path that was wrong, with the smallest input that showed it.

use aws_smithy_runtime_api::http::Headers;
use chime_caps_generated::operation::ROUTES;
use chime_caps_runtime::server::Router;

/// Found by the `server` seeds: `CreateMeeting` (`POST /meetings`) is listed before
/// `CreateMeetingWithAttendees` (`POST /meetings?operation=create-attendees`), and the
/// router took the first route whose path matched, so the emulator served every
/// create-with-attendees request as a plain create and dropped its attendees.
#[test]
fn a_route_with_a_literal_query_wins_over_the_same_path_without_one() {
    let router = Router::new(ROUTES);
    let headers = Headers::new();
    let operation = |target: &str| {
        router
            .route("POST", target, &headers, b"{}")
            .map(|matched| matched.route.operation)
    };
    assert_eq!(
        operation("/meetings?operation=create-attendees"),
        Ok("CreateMeetingWithAttendees")
    );
    assert_eq!(operation("/meetings"), Ok("CreateMeeting"));
    assert_eq!(
        operation("/meetings?other=create-attendees"),
        Ok("CreateMeeting")
    );
}
