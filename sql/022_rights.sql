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

-- Status links.  A registration's link is signed over status_nonce (see
-- lib/link.c); a new nonce revokes every earlier link, NULL revokes all.
ALTER TABLE registrations ADD COLUMN status_nonce text
	DEFAULT gen_random_uuid()::text;
-- When an interview began and ended, for the round's estimated waits.
ALTER TABLE interview_queue ADD COLUMN started_at timestamptz,
	ADD COLUMN finished_at timestamptz;

CREATE FUNCTION interview_queue_times() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status IN ('accepted', 'in_interview') AND
	    OLD.status NOT IN ('accepted', 'in_interview') THEN
		NEW.started_at := coalesce(NEW.started_at, now());
	ELSIF NEW.status = 'done' AND OLD.status <> 'done' THEN
		NEW.started_at := coalesce(NEW.started_at, OLD.updated_at);
		NEW.finished_at := now();
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER interview_queue_times BEFORE UPDATE ON interview_queue
	FOR EACH ROW EXECUTE FUNCTION interview_queue_times();

-- What a registration's status link shows: no name, nothing personal.
CREATE FUNCTION registration_status_json(p_reg bigint)
RETURNS json LANGUAGE sql STABLE AS $$
WITH g AS (SELECT * FROM registrations WHERE id = p_reg),
q AS (SELECT q.* FROM interview_queue q, g WHERE q.registration_id = g.id
	AND q.round_id = g.current_round_id),
ahead AS (SELECT count(*) AS n FROM interview_queue x, q
	WHERE x.round_id = q.round_id AND x.interviewer_id = q.interviewer_id
	AND x.status = 'waiting' AND q.status = 'waiting'
	AND (x.position, x.id) < (q.position, q.id)),
dur AS (SELECT avg(extract(epoch FROM d.finished_at - d.started_at)) AS s,
	count(*) AS n FROM (SELECT x.started_at, x.finished_at
	FROM interview_queue x, g WHERE x.round_id = g.current_round_id
	AND x.finished_at IS NOT NULL AND x.started_at IS NOT NULL
	ORDER BY x.finished_at DESC LIMIT 20) d),
st AS (SELECT CASE
	WHEN g.status = 'interviewing' AND q.status IS NOT NULL THEN q.status
	ELSE g.status END AS code FROM g LEFT JOIN q ON true)
SELECT json_build_object(
	'event', json_build_object('id', e.id, 'title', e.title,
	    'location', e.location, 'start_date', e.start_date,
	    'end_date', e.end_date, 'status', e.status),
	'round', CASE WHEN ro.id IS NULL THEN NULL ELSE json_build_object(
	    'id', ro.id, 'name', ro.name, 'position', ro.position,
	    'of', (SELECT count(*) FROM rounds r2 WHERE r2.event_id = e.id)) END,
	'state', st.code,
	'state_text', CASE st.code
	    WHEN 'applied' THEN 'Your application is in; it is being reviewed.'
	    WHEN 'shortlisted' THEN 'You are shortlisted; you will be put in '
	        'line for your interview.'
	    WHEN 'interviewing' THEN 'You are in the interviews.'
	    WHEN 'waiting' THEN 'You are in line for ' || ro.name || '.'
	    WHEN 'called' THEN 'You are being called now: join your interview.'
	    WHEN 'accepted' THEN 'Your interview is starting.'
	    WHEN 'in_interview' THEN 'Your interview is in progress.'
	    WHEN 'done' THEN 'Your interview is over; its result is coming.'
	    WHEN 'held' THEN 'Your interviewer stepped away; you will be put '
	        'with another one.'
	    WHEN 'declined' THEN 'You declined the call.'
	    WHEN 'no_show' THEN 'You missed your call; ask HR to be called '
	        'again.'
	    WHEN 'left' THEN 'You left the line.'
	    WHEN 'rejected' THEN 'Thank you for your time: you were not '
	        'selected this time.'
	    WHEN 'selected' THEN 'Congratulations: you are selected.'
	    WHEN 'withdrawn' THEN 'You withdrew your application.'
	    ELSE st.code END,
	'place_in_line', CASE WHEN st.code = 'waiting' THEN ahead.n + 1 END,
	'average_interview_minutes', CASE WHEN dur.n > 0 THEN
	    round((dur.s / 60)::numeric, 1) END,
	'estimated_wait_minutes', CASE WHEN st.code = 'waiting' AND dur.n > 0
	    THEN ceil(ahead.n * dur.s / 60)::int END,
	'updated_at', to_char(greatest(g.updated_at, q.updated_at) AT TIME ZONE
	    'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
FROM g JOIN events e ON e.id = g.event_id
LEFT JOIN rounds ro ON ro.id = g.current_round_id
LEFT JOIN q ON true CROSS JOIN ahead CROSS JOIN dur CROSS JOIN st
$$;

-- Consent, retention and erasure.  A registration made by its candidate
-- records their consent; one made from a bulk upload waits for the
-- candidate to confirm through the invitation's link (signed over
-- consent_nonce, lib/link.c).
ALTER TABLE registrations ADD COLUMN consent_at timestamptz,
	ADD COLUMN consent_source text CHECK (consent_source IN
	    ('registration', 'invitation')),
	ADD COLUMN consent_nonce text DEFAULT gen_random_uuid()::text,
	ADD COLUMN purged_at timestamptz;
-- Registrations before consent was recorded were made by their
-- candidates or by HR's uploads alike: neither is purged for it.
UPDATE registrations SET consent_at = created_at,
	consent_source = 'registration';
ALTER TABLE users ADD COLUMN erased_at timestamptz;

-- Remove a registration's resume and what was read from it; keep what
-- analytics count (event, status, round, score, dates).  The storage
-- keys to delete are returned.
CREATE FUNCTION registration_purge(p_reg bigint)
RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	WITH t AS (UPDATE resume_tracks SET file_name = 'erased.pdf',
	    storage_key = '', error = NULL, updated_at = now()
	    FROM resume_tracks o WHERE o.id = resume_tracks.id
	    AND resume_tracks.registration_id = p_reg AND o.storage_key <> ''
	    RETURNING o.storage_key)
	SELECT storage_key FROM t;
	RETURN QUERY
	WITH g AS (UPDATE registrations SET resume_key = NULL,
	    ats_result = NULL, purged_at = now()
	    FROM registrations o WHERE o.id = registrations.id
	    AND registrations.id = p_reg RETURNING o.resume_key)
	SELECT resume_key FROM g WHERE resume_key IS NOT NULL;
END $$;

-- Erase a person: their personal data, resumes (the keys returned, for
-- the caller to delete from storage), mail bodies and chat; what
-- analytics count stays, under an anonymous account.
CREATE FUNCTION user_erase(p_user bigint)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	addr text;
	g bigint;
BEGIN
	SELECT email INTO addr FROM users WHERE id = p_user
	    AND erased_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	FOR g IN SELECT id FROM registrations WHERE user_id = p_user LOOP
		RETURN QUERY SELECT registration_purge(g);
	END LOOP;
	RETURN QUERY
	WITH t AS (UPDATE resume_tracks SET file_name = 'erased.pdf',
	    storage_key = '', error = NULL, updated_at = now()
	    FROM resume_tracks o WHERE o.id = resume_tracks.id
	    AND resume_tracks.user_id = p_user AND o.storage_key <> ''
	    RETURNING o.storage_key)
	SELECT storage_key FROM t;
	UPDATE mail_outbox SET vars = '{}', to_name = '',
	    to_addr = 'erased-' || p_user || '@erased.invalid'
	    WHERE lower(to_addr) = lower(addr);
	UPDATE chat_messages SET body = '(erased)'
	    WHERE candidate_id = p_user OR sender_id = p_user;
	UPDATE reviews SET comments = '', ratings = '[]'
	    WHERE registration_id IN (SELECT id FROM registrations
	        WHERE user_id = p_user);
	UPDATE review_history SET comments = '', ratings = '[]', reason = ''
	    WHERE review_id IN (SELECT rv.id FROM reviews rv JOIN
	        registrations x ON x.id = rv.registration_id
	        WHERE x.user_id = p_user);
	DELETE FROM idempotency_keys WHERE user_id = p_user;
	DELETE FROM ws_tickets WHERE user_id = p_user;
	DELETE FROM otps WHERE user_id = p_user;
	DELETE FROM refresh_tokens WHERE user_id = p_user;
	UPDATE users SET name = 'Erased candidate',
	    username = 'erased_' || id, email = 'erased-' || id ||
	    '@erased.invalid', phone_number = 'erased-' || id,
	    is_active = false, erased_at = now(),
	    token_version = token_version + 1
	    WHERE id = p_user;
END $$;

-- Who the consent and retention sweep erases: candidates who never signed
-- in and never confirmed consent within p_consent_days of their
-- registrations, and candidates whose every event closed more than
-- p_retention_days ago.
CREATE FUNCTION retention_due_users(p_consent_days int, p_retention_days int)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
SELECT u.id FROM users u WHERE u.user_type = 'Interviewee'
AND u.erased_at IS NULL AND EXISTS (SELECT 1 FROM registrations g
    WHERE g.user_id = u.id)
AND ((u.last_login IS NULL AND NOT EXISTS (SELECT 1 FROM registrations g
        WHERE g.user_id = u.id AND (g.consent_at IS NOT NULL OR
        g.created_at > now() - make_interval(days => p_consent_days))))
    OR NOT EXISTS (SELECT 1 FROM registrations g JOIN events e
        ON e.id = g.event_id WHERE g.user_id = u.id AND NOT coalesce(
        (e.status = 'Inactive' AND e.updated_at < now() -
            make_interval(days => p_retention_days))
        OR e.end_date < current_date - p_retention_days, false)))
ORDER BY u.id LIMIT 500
$$;

-- Registrations (of candidates who stay) in events closed more than
-- p_retention_days ago whose resumes are still kept.
CREATE FUNCTION retention_due_registrations(p_retention_days int)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
SELECT g.id FROM registrations g JOIN events e ON e.id = g.event_id
WHERE g.purged_at IS NULL AND ((e.status = 'Inactive' AND e.updated_at <
    now() - make_interval(days => p_retention_days))
    OR e.end_date < current_date - p_retention_days)
ORDER BY g.id LIMIT 500
$$;
