-- Candidates' rights and HR's data: signed webhooks (endpoints, their
-- deliveries and every attempt's answer), fired by triggers so that every
-- path that scores, advances, interviews or selects a candidate tells them.

CREATE TABLE webhook_endpoints (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	url		text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
	events		text[] NOT NULL CHECK (cardinality(events) > 0 AND
			    events <@ ARRAY['registration.scored',
			    'candidate.advanced', 'interview.completed',
			    'candidate.selected']),
	secret		text NOT NULL,
	active		boolean NOT NULL DEFAULT true,
	created_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- One row per event and endpoint; its body is fixed (a replay sends the
-- same body, freshly signed).
CREATE TABLE webhook_deliveries (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	endpoint_id	bigint NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
	event		text NOT NULL,
	data		jsonb NOT NULL,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'sending', 'delivered', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	response_status	integer,
	response_body	text,
	error		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	delivered_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries
	(endpoint_id, id DESC);

-- Every attempt: when, what came back (the first 2 KB), how long it took.
CREATE TABLE webhook_attempts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	delivery_id	bigint NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
	attempt		integer NOT NULL,
	response_status	integer,
	response_body	text,
	error		text,
	duration_ms	integer NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- A delivery and its job for every active endpoint that wants p_event.
CREATE FUNCTION webhook_fire(p_event text, p_data jsonb)
RETURNS void LANGUAGE sql AS $$
WITH d AS (
	INSERT INTO webhook_deliveries (endpoint_id, event, data)
	SELECT e.id, p_event, p_data FROM webhook_endpoints e
	WHERE e.active AND p_event = ANY (e.events)
	RETURNING id
)
INSERT INTO jobs (kind, args, unique_key)
SELECT 'webhook', json_build_object('delivery_id', d.id), 'webhook:' || d.id
FROM d
$$;

CREATE FUNCTION registrations_webhooks() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	base jsonb;
BEGIN
	base := jsonb_build_object('registration_id', NEW.id,
	    'event_id', NEW.event_id, 'candidate_id', NEW.user_id);
	IF NEW.scored_at IS NOT NULL AND
	    NEW.scored_at IS DISTINCT FROM OLD.scored_at THEN
		PERFORM webhook_fire('registration.scored', base ||
		    jsonb_build_object('ats_score', NEW.ats_score));
	END IF;
	IF OLD.current_round_id IS NOT NULL AND NEW.current_round_id IS NOT NULL
	    AND (SELECT n.position > o.position FROM rounds n, rounds o
	        WHERE n.id = NEW.current_round_id AND o.id = OLD.current_round_id)
	THEN
		PERFORM webhook_fire('candidate.advanced', base ||
		    jsonb_build_object('from_round_id', OLD.current_round_id,
		    'round_id', NEW.current_round_id));
	END IF;
	IF NEW.status = 'selected' AND OLD.status <> 'selected' THEN
		PERFORM webhook_fire('candidate.selected', base ||
		    jsonb_build_object('round_id', NEW.current_round_id));
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER registrations_webhooks AFTER UPDATE ON registrations
	FOR EACH ROW EXECUTE FUNCTION registrations_webhooks();

CREATE FUNCTION interview_queue_webhooks() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status = 'done' AND OLD.status <> 'done' THEN
		PERFORM webhook_fire('interview.completed', jsonb_build_object(
		    'registration_id', NEW.registration_id,
		    'event_id', (SELECT event_id FROM rounds WHERE id = NEW.round_id),
		    'round_id', NEW.round_id,
		    'interviewer_id', NEW.interviewer_id));
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER interview_queue_webhooks AFTER UPDATE ON interview_queue
	FOR EACH ROW EXECUTE FUNCTION interview_queue_webhooks();

-- Calendar invitations.  An event's calendar_seq is the SEQUENCE of every
-- interview invitation of the event: raised by each change of what a
-- calendar shows (title, dates, place) and by cancelling (Inactive).
ALTER TABLE events ADD COLUMN calendar_seq integer NOT NULL DEFAULT 0;

CREATE FUNCTION events_calendar_seq() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.title, NEW.start_date, NEW.end_date, NEW.location) IS DISTINCT
	    FROM (OLD.title, OLD.start_date, OLD.end_date, OLD.location)
	    OR (NEW.status = 'Inactive') <> (OLD.status = 'Inactive') THEN
		NEW.calendar_seq := OLD.calendar_seq + 1;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER events_calendar_seq BEFORE UPDATE ON events
	FOR EACH ROW EXECUTE FUNCTION events_calendar_seq();

-- A change of a published event with a date: everyone's calendar is told
-- (the invitation again, with the new SEQUENCE, or its cancellation).
CREATE FUNCTION events_calendar_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.calendar_seq > OLD.calendar_seq AND OLD.status <> 'Pending'
	    AND coalesce(NEW.start_date, OLD.start_date) IS NOT NULL THEN
		INSERT INTO jobs (kind, args, unique_key)
		VALUES ('event_mail', json_build_object('event_id', NEW.id,
		    'audience', 'all', 'calendar_seq', NEW.calendar_seq),
		    'event_mail:' || NEW.id || ':c' || NEW.calendar_seq)
		ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL
		    AND state IN ('available', 'running') DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER events_calendar_mail AFTER UPDATE ON events
	FOR EACH ROW EXECUTE FUNCTION events_calendar_mail();

-- The invitation of p_user to event p_event's interviews as the members
-- lib/ical.c renders (NULL: no calendar: no date, or long over), and the
-- line the mail says about it.
CREATE FUNCTION interview_ics(p_event bigint, p_user bigint, p_cancel boolean)
RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object('uid', 'interview-' || e.id || '-' || p_user,
	'sequence', e.calendar_seq,
	'method', CASE WHEN p_cancel OR e.status = 'Inactive' THEN 'CANCEL'
	    ELSE 'REQUEST' END,
	'start', e.start_date::text,
	'end', coalesce(e.end_date, e.start_date)::text,
	'summary', 'Interview: ' || e.title, 'location', e.location,
	'description', 'Interviews for ' || e.title || '.')
FROM events e WHERE e.id = p_event AND e.start_date IS NOT NULL
AND NOT (e.status = 'Inactive' AND e.start_date < current_date)
$$;

CREATE FUNCTION interview_ics_note(p json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN p IS NULL THEN ''
	WHEN p->>'method' = 'CANCEL' THEN 'These interviews are cancelled; '
	    'the attached notice takes them off your calendar.'
	WHEN (p->>'sequence')::int > 0 THEN 'The details changed; the attached '
	    'invitation updates your calendar.'
	ELSE 'The attached invitation puts the interviews in your calendar.'
	END
$$;
