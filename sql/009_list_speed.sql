-- Faster lists.  An event's JSON is rendered once when it changes and kept
-- in events.doc (events change rarely and are listed constantly); indexes
-- for HR's own events and an event's registrations by status.

ALTER TABLE events ADD COLUMN doc json;
UPDATE events SET doc = event_json(id);
CREATE INDEX events_owner_idx ON events (created_by, status, id);
CREATE INDEX registrations_event_status_idx ON registrations (event_id, status, id);
