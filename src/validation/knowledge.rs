//! What the client knows about meetings: their features and their attendees'
//! capabilities. Bounded in entries and age, safe under concurrent use.
//!
//! Meetings are spread over up to 16 shards, each behind its own `RwLock`: the
//! local check takes one read lock and allocates nothing; learning (after a
//! response) takes one write lock. When a shard is full, expired entries go first,
//! then the meeting learned least recently. Small caches use a single shard, so
//! their eviction order is exact. Entries are keyed by [`Id`], so ids match whatever
//! their case.

use std::hash::BuildHasher;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime};

use aws_smithy_async::time::SharedTimeSource;
use chime_caps_generated::types::{AttendeeCapabilities, Meeting};

use super::id::{Id, IdHashing, IdMap};
use super::ValidationSettings;
use crate::rules::{self, MeetingFeatures};

/// What the client knows about a meeting's features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKnowledge {
    /// The features are known: every rule is checked.
    Known,
    /// Nothing is known (or it expired): only `ContentNeedsVideo` is checked.
    Unknown,
    /// A lookup was refused (`403`): only `ContentNeedsVideo` is checked, and no
    /// lookup is tried again until the entry expires.
    Unavailable,
}

#[derive(Debug, Clone)]
enum Features {
    Unknown,
    Known(MeetingFeatures, SystemTime),
    Unavailable(SystemTime),
}

#[derive(Debug)]
struct MeetingEntry {
    features: Features,
    /// When anything about the meeting was last learned (the eviction order).
    touched: SystemTime,
    attendees: IdMap<(AttendeeCapabilities, SystemTime)>,
}

#[derive(Debug)]
struct Shard {
    meetings: IdMap<MeetingEntry>,
}

/// The cache. Every method is safe to call from many threads at once.
#[derive(Debug)]
pub(crate) struct Knowledge {
    shards: Box<[RwLock<Shard>]>,
    hashing: IdHashing,
    max_meetings_per_shard: usize,
    max_attendees: usize,
    meeting_ttl: Duration,
    attendee_ttl: Duration,
    clock: SharedTimeSource,
}

fn expired(at: SystemTime, ttl: Duration, now: SystemTime) -> bool {
    // A clock that went backwards keeps the entry: `duration_since` fails.
    now.duration_since(at).is_ok_and(|age| age >= ttl)
}

/// Removes the entry learned least recently (by `learned`), if any.
fn evict_oldest<V>(map: &mut IdMap<V>, learned: impl Fn(&V) -> SystemTime) {
    let oldest = map
        .iter()
        .min_by_key(|(_, v)| learned(v))
        .map(|(id, _)| *id);
    if let Some(oldest) = oldest {
        map.remove(&oldest);
    }
}

impl MeetingEntry {
    fn new(now: SystemTime, hashing: IdHashing) -> Self {
        MeetingEntry {
            features: Features::Unknown,
            touched: now,
            attendees: IdMap::with_hasher(hashing),
        }
    }

    fn features(&self, k: &Knowledge, now: SystemTime) -> Option<&MeetingFeatures> {
        match &self.features {
            Features::Known(features, at) if !expired(*at, k.meeting_ttl, now) => Some(features),
            _ => None,
        }
    }

    fn attendee(&self, k: &Knowledge, id: Id, now: SystemTime) -> Option<&AttendeeCapabilities> {
        self.attendees
            .get(&id)
            .filter(|(_, at)| !expired(*at, k.attendee_ttl, now))
            .map(|(caps, _)| caps)
    }

    fn live_attendees<'a>(
        &'a self,
        k: &'a Knowledge,
        now: SystemTime,
    ) -> impl Iterator<Item = (Id, &'a AttendeeCapabilities)> + 'a {
        self.attendees
            .iter()
            .filter(move |(_, (_, at))| !expired(*at, k.attendee_ttl, now))
            .map(|(id, (caps, _))| (*id, caps))
    }

    /// Drops expired knowledge; `false` when nothing is left.
    fn purge(&mut self, k: &Knowledge, now: SystemTime) -> bool {
        let stale = match &self.features {
            Features::Known(_, at) => expired(*at, k.meeting_ttl, now),
            Features::Unavailable(at) => expired(*at, k.attendee_ttl, now),
            Features::Unknown => false,
        };
        if stale {
            self.features = Features::Unknown;
        }
        self.drop_expired_attendees(k, now);
        !matches!(self.features, Features::Unknown) || !self.attendees.is_empty()
    }

    fn put_attendee(&mut self, k: &Knowledge, id: Id, caps: AttendeeCapabilities, now: SystemTime) {
        self.touched = now;
        if let Some(slot) = self.attendees.get_mut(&id) {
            *slot = (caps, now);
            return;
        }
        if self.attendees.len() >= k.max_attendees {
            self.drop_expired_attendees(k, now);
        }
        if self.attendees.len() >= k.max_attendees {
            evict_oldest(&mut self.attendees, |(_, at)| *at);
        }
        self.attendees.insert(id, (caps, now));
    }

    fn drop_expired_attendees(&mut self, k: &Knowledge, now: SystemTime) {
        self.attendees
            .retain(|_, (_, at)| !expired(*at, k.attendee_ttl, now));
    }
}

impl Knowledge {
    pub(crate) fn new(settings: &ValidationSettings) -> Self {
        let hashing = IdHashing::new();
        // One shard per 256 meetings, up to 16, a power of two; per-shard capacity
        // rounds down so the total never exceeds `max_meetings`.
        let shards = (settings.max_meetings / 256)
            .clamp(1, 16)
            .next_power_of_two()
            .min(16);
        Knowledge {
            shards: (0..shards)
                .map(|_| {
                    RwLock::new(Shard {
                        meetings: IdMap::with_hasher(hashing.clone()),
                    })
                })
                .collect(),
            hashing,
            max_meetings_per_shard: (settings.max_meetings / shards).max(1),
            max_attendees: settings.max_attendees_per_meeting,
            meeting_ttl: settings.meeting_ttl,
            attendee_ttl: settings.attendee_ttl,
            clock: settings.time_source.clone(),
        }
    }

    fn now(&self) -> SystemTime {
        self.clock.now()
    }

    fn shard(&self, meeting_id: Id) -> &RwLock<Shard> {
        // The shard's maps hash with the same key and take their bucket from the low
        // bits and their tags from the top 7: the shard comes from bits in between, so
        // a shard's meetings still spread over all of its map's buckets.
        let hash = self.hashing.hash_one(meeting_id);
        let index = ((hash >> 32) as usize) & (self.shards.len() - 1);
        &self.shards[index]
    }

    fn read(&self, meeting_id: Id) -> RwLockReadGuard<'_, Shard> {
        // A panic while holding the lock cannot leave a shard inconsistent: every
        // write is a single map operation.
        self.shard(meeting_id)
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self, meeting_id: Id) -> RwLockWriteGuard<'_, Shard> {
        self.shard(meeting_id)
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the meeting's entry, creating it (and evicting to make room) if needed.
    fn update<R>(&self, meeting_id: Id, f: impl FnOnce(&mut MeetingEntry, SystemTime) -> R) -> R {
        let now = self.now();
        let mut shard = self.write(meeting_id);
        if !shard.meetings.contains_key(&meeting_id)
            && shard.meetings.len() >= self.max_meetings_per_shard
        {
            shard.meetings.retain(|_, entry| entry.purge(self, now));
            if shard.meetings.len() >= self.max_meetings_per_shard {
                evict_oldest(&mut shard.meetings, |entry| entry.touched);
            }
        }
        let entry = shard
            .meetings
            .entry(meeting_id)
            .or_insert_with(|| MeetingEntry::new(now, self.hashing.clone()));
        f(entry, now)
    }

    /// The meeting's features, if known, and what is known about them.
    fn lookup<'a>(
        &self,
        entry: Option<&'a MeetingEntry>,
        now: SystemTime,
    ) -> (FeatureKnowledge, Option<&'a MeetingFeatures>) {
        let features = entry.and_then(|e| e.features(self, now));
        let knowledge = match (features, entry.map(|e| &e.features)) {
            (Some(_), _) => FeatureKnowledge::Known,
            (None, Some(Features::Unavailable(at))) if !expired(*at, self.attendee_ttl, now) => {
                FeatureKnowledge::Unavailable
            }
            _ => FeatureKnowledge::Unknown,
        };
        (knowledge, features)
    }

    /// Runs `f` with what is known about the meeting's features (under the shard's read
    /// lock: keep `f` short). Allocation-free.
    pub(crate) fn with_features<R>(
        &self,
        meeting_id: Id,
        f: impl FnOnce(FeatureKnowledge, Option<&MeetingFeatures>) -> R,
    ) -> R {
        let shard = self.read(meeting_id);
        let (knowledge, features) = self.lookup(shard.meetings.get(&meeting_id), self.now());
        f(knowledge, features)
    }

    /// What is known about the meeting's features.
    pub(crate) fn feature_knowledge(&self, meeting_id: Id) -> FeatureKnowledge {
        self.with_features(meeting_id, |knowledge, _| knowledge)
    }

    /// The meeting's features, if known.
    pub(crate) fn features(&self, meeting_id: Id) -> Option<MeetingFeatures> {
        self.with_features(meeting_id, |_, features| features.cloned())
    }

    /// The attendee's current capabilities, if known.
    pub(crate) fn capabilities(
        &self,
        meeting_id: Id,
        attendee_id: Id,
    ) -> Option<AttendeeCapabilities> {
        let now = self.now();
        self.read(meeting_id)
            .meetings
            .get(&meeting_id)
            .and_then(|e| e.attendee(self, attendee_id, now))
            .cloned()
    }

    /// Calls `f` with every known attendee of the meeting whose id is not in `except`
    /// (sorted).
    pub(crate) fn for_each_attendee(
        &self,
        meeting_id: Id,
        except: &[Id],
        mut f: impl FnMut(Id, &AttendeeCapabilities),
    ) {
        let now = self.now();
        if let Some(entry) = self.read(meeting_id).meetings.get(&meeting_id) {
            entry
                .live_attendees(self, now)
                .filter(|(id, _)| except.binary_search(id).is_err())
                .for_each(|(id, caps)| f(id, caps));
        }
    }

    /// How many meetings the cache holds (expired ones count until they are evicted).
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().unwrap_or_else(|e| e.into_inner()).meetings.len())
            .sum()
    }

    /// Remembers a meeting's features.
    pub(crate) fn learn_meeting(&self, meeting_id: Id, features: MeetingFeatures) {
        self.update(meeting_id, |entry, now| {
            entry.features = Features::Known(features, now);
            entry.touched = now;
        });
    }

    /// Remembers the features of a meeting the service returned and returns its id;
    /// one without a (well-formed) id is ignored.
    pub(crate) fn learn_meeting_from(&self, meeting: &Meeting) -> Option<Id> {
        let id = Id::parse(meeting.meeting_id.as_deref()?)?;
        self.learn_meeting(id, MeetingFeatures::of_meeting(meeting));
        Some(id)
    }

    /// Remembers that looking the meeting up was refused.
    pub(crate) fn learn_unavailable(&self, meeting_id: Id) {
        self.update(meeting_id, |entry, now| {
            if !matches!(entry.features, Features::Known(..)) {
                entry.features = Features::Unavailable(now);
            }
            entry.touched = now;
        });
    }

    /// Remembers attendees' capabilities.
    pub(crate) fn learn_attendees(
        &self,
        meeting_id: Id,
        attendees: impl IntoIterator<Item = (Id, AttendeeCapabilities)>,
    ) {
        self.update(meeting_id, |entry, now| {
            for (id, caps) in attendees {
                entry.put_attendee(self, id, caps, now);
            }
        });
    }

    /// Gives every known attendee of the meeting not in `except` (sorted) the
    /// capabilities `caps`.
    pub(crate) fn learn_all_except(
        &self,
        meeting_id: Id,
        except: &[Id],
        caps: &AttendeeCapabilities,
    ) {
        let now = self.now();
        let mut shard = self.write(meeting_id);
        if let Some(entry) = shard.meetings.get_mut(&meeting_id) {
            for (id, slot) in entry.attendees.iter_mut() {
                if except.binary_search(id).is_err() && !expired(slot.1, self.attendee_ttl, now) {
                    *slot = (caps.clone(), now);
                }
            }
            entry.touched = now;
        }
    }

    /// The capabilities `CreateAttendee` gives by default in this meeting, if its
    /// features are known (for responses that carry no capabilities).
    pub(crate) fn default_capabilities(&self, meeting_id: Id) -> Option<AttendeeCapabilities> {
        self.features(meeting_id)
            .map(|f| rules::default_capabilities(&f))
    }

    /// Forgets a meeting and its attendees.
    pub(crate) fn forget_meeting(&self, meeting_id: Id) {
        self.write(meeting_id).meetings.remove(&meeting_id);
    }

    /// Forgets one attendee.
    pub(crate) fn forget_attendee(&self, meeting_id: Id, attendee_id: Id) {
        if let Some(entry) = self.write(meeting_id).meetings.get_mut(&meeting_id) {
            entry.attendees.remove(&attendee_id);
        }
    }
}
