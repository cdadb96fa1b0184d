-- Who may see and change what: the organisation admin, event owners,
-- token versions, the signup ledger, resume matching reasons and the
-- scores an event shows its candidates.

-- The organisation admin (connectify-fcgi --create-hr) alone manages
-- staff roles.  token_version is the claim "tv" of every token: a token
-- whose tv is not the row's no longer works.  It moves on logout
-- (fcgi/h_auth.c) and, here, on any change of role, admin flag or
-- activity; deleting the row ends its tokens too.
ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;

CREATE FUNCTION users_token_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.user_type IS DISTINCT FROM OLD.user_type OR
	    NEW.is_active IS DISTINCT FROM OLD.is_active OR
	    NEW.is_admin IS DISTINCT FROM OLD.is_admin THEN
		NEW.token_version := OLD.token_version + 1;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER users_token_bump BEFORE UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION users_token_bump();

-- The HR accounts that own an event: its creator, and co-owners an owner
-- adds.  Owners see and change the event's candidates.
CREATE TABLE event_owners (
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	added_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_owners_user_idx ON event_owners (user_id, event_id);
INSERT INTO event_owners (event_id, user_id) SELECT id, created_by FROM events;

CREATE FUNCTION event_owner_creator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO event_owners (event_id, user_id, added_by)
	    VALUES (NEW.id, NEW.created_by, NEW.created_by)
	    ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER events_owner_creator AFTER INSERT ON events
	FOR EACH ROW EXECUTE FUNCTION event_owner_creator();
CREATE TRIGGER event_owners_changed AFTER INSERT OR UPDATE OR DELETE OR
	TRUNCATE ON event_owners FOR EACH STATEMENT
	EXECUTE FUNCTION notify_changed();

-- Candidates see their ATS score and its evidence only when the event's
-- HR chooses so.
ALTER TABLE events ADD COLUMN show_scores boolean NOT NULL DEFAULT false;

-- An event as a candidate sees it: no questions, no interviewers'
-- usernames.
CREATE FUNCTION event_public(doc json) RETURNS json LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_set(doc::jsonb, '{rounds}', coalesce((SELECT jsonb_agg(
	(ro - 'questions') || jsonb_build_object('interviewers',
	coalesce((SELECT jsonb_agg(jsonb_build_object('id', i->'id',
	    'name', i->'name')) FROM jsonb_array_elements(ro->'interviewers')
	    i), '[]'::jsonb)))
	FROM jsonb_array_elements(doc::jsonb->'rounds') ro), '[]'::jsonb))::json
$$;

-- send-otp answers alike for unknown phones: their requests are
-- recorded (no account, a code nobody knows) and counted like the rest.
ALTER TABLE otps ALTER COLUMN user_id DROP NOT NULL;

-- Signups per client address, for the rate limit.
CREATE TABLE signup_attempts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_ip	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signup_attempts_ip_idx ON signup_attempts (request_ip, created_at);

-- How a bulk-uploaded resume found its person: 'email' or 'phone' (an
-- existing candidate), 'new' (an account made from it), 'given' (uploaded
-- by or for a known candidate); 'staff' when it names a staff account and
-- was flagged instead.  A track keeps its own score and parsed data, so
-- a file and what was read from it always stay together.
ALTER TABLE resume_tracks ADD COLUMN match_reason text
	CHECK (match_reason IN ('email', 'phone', 'new', 'given', 'staff'));
ALTER TABLE resume_tracks ADD COLUMN ats_score numeric(5,2);
ALTER TABLE resume_tracks ADD COLUMN ats_result jsonb;
ALTER TABLE resume_tracks DROP CONSTRAINT resume_tracks_status_check;
ALTER TABLE resume_tracks ADD CONSTRAINT resume_tracks_status_check
	CHECK (status IN ('queued', 'parsing', 'scored', 'failed', 'flagged'));

-- Resumes HR should look at: a second file for a registration that
-- already has one (both kept, the first's score untouched), or a file
-- naming a staff account.
CREATE TABLE resume_duplicates (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	track_id	bigint NOT NULL REFERENCES resume_tracks ON DELETE CASCADE,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	registration_id	bigint REFERENCES registrations ON DELETE CASCADE,
	user_id		bigint REFERENCES users ON DELETE CASCADE,
	reason		text NOT NULL CHECK (reason IN ('email', 'phone', 'staff')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (track_id)
);
CREATE INDEX resume_duplicates_event_idx ON resume_duplicates (event_id, id);

-- Usernames made by the platform are never a phone's digits.
CREATE FUNCTION username_new(p_name text) RETURNS text LANGUAGE sql VOLATILE AS $$
SELECT coalesce(nullif(left(lower(regexp_replace(coalesce(p_name, ''),
    '[^A-Za-z0-9]+', '', 'g')), 20), ''), 'user') || '_' ||
    substr(md5(random()::text || clock_timestamp()::text), 1, 8)
$$;
UPDATE users SET username = username_new(name)
	WHERE username = regexp_replace(phone_number, '[^0-9]', '', 'g');

-- An event's JSON also tells whether its candidates see their scores.
CREATE OR REPLACE FUNCTION event_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object(
	'event_id', e.id, 'title', e.title, 'department', d.name,
	'description', e.description,
	'skills', json_build_object(
		'required', coalesce((SELECT json_agg(s.name ORDER BY s.name)
		    FROM event_skills es JOIN skills s ON s.id = es.skill_id
		    WHERE es.event_id = e.id AND es.required), '[]'),
		'preferred', coalesce((SELECT json_agg(s.name ORDER BY s.name)
		    FROM event_skills es JOIN skills s ON s.id = es.skill_id
		    WHERE es.event_id = e.id AND NOT es.required), '[]')),
	'min_experience', e.min_experience, 'max_experience', e.max_experience,
	'location', e.location, 'employment_type', e.employment_type,
	'openings', e.openings, 'start_date', e.start_date,
	'end_date', e.end_date, 'status', e.status, 'created_by', e.created_by,
	'show_scores', e.show_scores,
	'created_at', to_char(e.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'rounds', coalesce((SELECT json_agg(json_build_object(
		'round_id', ro.id, 'position', ro.position, 'name', ro.name,
		'interviewers', coalesce((SELECT json_agg(json_build_object(
		    'id', u.id, 'name', u.name, 'username', u.username)
		    ORDER BY u.id) FROM round_interviewers ri
		    JOIN users u ON u.id = ri.user_id
		    WHERE ri.round_id = ro.id), '[]'),
		'questions', coalesce((SELECT json_agg(json_build_object(
		    'question_id', q.id, 'text', q.text) ORDER BY q.position)
		    FROM questions q WHERE q.round_id = ro.id), '[]'))
	    ORDER BY ro.position) FROM rounds ro WHERE ro.event_id = e.id), '[]'))
FROM events e JOIN departments d ON d.id = e.department_id
WHERE e.id = p_id
$$;
UPDATE events SET doc = event_json(id);
