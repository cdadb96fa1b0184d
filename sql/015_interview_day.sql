-- The interview day, right: one attendance row per person, every version
-- of a review kept, the queue states people act on, idempotent creating
-- requests, and mail told apart by what it says.

-- One attendance row per person per event and round (NULL round: the
-- event as a whole); joining again reopens it.
DELETE FROM attendance a USING attendance b
    WHERE a.event_id = b.event_id AND a.user_id = b.user_id
    AND a.round_id IS NOT DISTINCT FROM b.round_id AND a.id < b.id;
ALTER TABLE attendance ADD CONSTRAINT attendance_one_row
    UNIQUE NULLS NOT DISTINCT (event_id, round_id, user_id);

-- A review's versions: the first, then one per explicit amendment.
ALTER TABLE reviews ADD COLUMN version integer NOT NULL DEFAULT 1;
CREATE TABLE review_history (
	review_id	bigint NOT NULL REFERENCES reviews ON DELETE CASCADE,
	version		integer NOT NULL,
	interviewer_id	bigint NOT NULL REFERENCES users,
	rating		smallint,
	ratings		jsonb NOT NULL,
	comments	text NOT NULL,
	result		text NOT NULL,
	reason		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (review_id, version)
);
INSERT INTO review_history (review_id, version, interviewer_id, rating,
    ratings, comments, result, created_at)
    SELECT id, 1, interviewer_id, rating, ratings, comments, result,
    updated_at FROM reviews;

-- Unticking the shortlist of p_reg: when queued but never called, it
-- leaves every queue (back to shortlisted, for the caller to untick);
-- one row per queue it was in: the interviewer's username, the round,
-- and whether the candidate was called or seen there already (then
-- nothing changed and the caller refuses).
CREATE FUNCTION shortlist_unqueue(p_reg bigint)
RETURNS TABLE (interviewer text, round_id bigint, busy boolean)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM registrations WHERE id = p_reg FOR UPDATE;
	IF EXISTS (SELECT 1 FROM interview_queue q WHERE q.registration_id = p_reg
	    AND q.status NOT IN ('waiting', 'left', 'held')) THEN
		RETURN QUERY SELECT i.username, q.round_id,
		    q.status NOT IN ('waiting', 'left', 'held') FROM interview_queue q
		    JOIN users i ON i.id = q.interviewer_id
		    WHERE q.registration_id = p_reg;
		RETURN;
	END IF;
	RETURN QUERY DELETE FROM interview_queue q USING users i
	    WHERE i.id = q.interviewer_id AND q.registration_id = p_reg
	    RETURNING i.username, q.round_id, false;
	UPDATE registrations SET status = 'shortlisted', current_round_id = NULL,
	    updated_at = now() WHERE id = p_reg AND status = 'interviewing';
END $$;

-- Idempotency-Key of creating POSTs (fcgi/route.c): the row is inserted
-- before the request runs (so a second request with the key waits for the
-- first, never runs beside it), then filled with the answer.  A key lives
-- 24 hours.
CREATE TABLE idempotency_keys (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	key		text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
	route		text NOT NULL,
	request_hash	text NOT NULL,
	status		integer,
	body		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The queue states people act on: waiting (in line), called (asked to
-- come), accepted (the call), in_interview (the interviewer began), done
-- (completed), declined (the call), no_show (called, never came), left
-- (the candidate left the line), held (their interviewer left and no one
-- else interviews in the round).
ALTER TABLE interview_queue DROP CONSTRAINT interview_queue_status_check;
UPDATE interview_queue SET status = CASE status WHEN 'in_progress'
    THEN 'in_interview' WHEN 'rejected' THEN 'declined' ELSE status END
    WHERE status IN ('in_progress', 'rejected');
ALTER TABLE interview_queue ADD CONSTRAINT interview_queue_status_check
    CHECK (status IN ('waiting', 'called', 'accepted', 'in_interview',
    'done', 'declined', 'no_show', 'left', 'held'));

-- Requeueing: a declined, no-show, left or held candidate goes back in
-- line; done stays done.
CREATE OR REPLACE FUNCTION queue_assign(p_round bigint, p_reg bigint, p_iv bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	qid bigint;
	pos int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('queue:' || p_round));
	SELECT coalesce(max(position), 0) + 1 INTO pos FROM interview_queue
	    WHERE round_id = p_round AND interviewer_id = p_iv;
	INSERT INTO interview_queue (round_id, registration_id, interviewer_id,
	    position) VALUES (p_round, p_reg, p_iv, pos)
	ON CONFLICT (round_id, registration_id) DO UPDATE SET
	    interviewer_id = excluded.interviewer_id, position = excluded.position,
	    status = CASE WHEN interview_queue.status = 'done'
	        THEN interview_queue.status ELSE 'waiting' END,
	    updated_at = now()
	RETURNING id INTO qid;
	UPDATE registrations SET current_round_id = p_round,
	    status = CASE WHEN status IN ('applied', 'shortlisted')
	        THEN 'interviewing' ELSE status END, updated_at = now()
	    WHERE id = p_reg;
	RETURN qid;
END $$;

CREATE OR REPLACE FUNCTION queue_auto_assign(p_round bigint)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	r record;
	iv bigint;
	n int := 0;
	ev bigint;
	first boolean;
BEGIN
	SELECT event_id, position = (SELECT min(position) FROM rounds x
	    WHERE x.event_id = ro.event_id) INTO ev, first
	    FROM rounds ro WHERE id = p_round;
	FOR r IN SELECT g.id FROM registrations g WHERE g.event_id = ev
	    AND NOT EXISTS (SELECT 1 FROM interview_queue q
	        WHERE q.round_id = p_round AND q.registration_id = g.id)
	    AND ((first AND g.status = 'shortlisted')
	        OR (g.current_round_id = p_round AND g.status = 'interviewing'))
	    ORDER BY g.ats_score DESC NULLS LAST, g.id
	LOOP
		SELECT ri.user_id INTO iv FROM round_interviewers ri
		    WHERE ri.round_id = p_round
		    ORDER BY (SELECT count(*) FROM interview_queue q
		        WHERE q.round_id = p_round AND q.interviewer_id = ri.user_id
		        AND q.status IN ('waiting', 'called', 'accepted',
		        'in_interview')),
		        ri.user_id
		    LIMIT 1;
		EXIT WHEN iv IS NULL;
		PERFORM queue_assign(p_round, r.id, iv);
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

CREATE OR REPLACE FUNCTION review_advance(p_reg bigint, p_round bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	res text;
	nxt bigint;
	iv bigint;
	st text;
BEGIN
	SELECT result INTO res FROM reviews
	    WHERE registration_id = p_reg AND round_id = p_round;
	UPDATE interview_queue SET status = 'done', updated_at = now()
	    WHERE round_id = p_round AND registration_id = p_reg;
	-- an edit may change the outcome: forget a later queue place
	DELETE FROM interview_queue q USING rounds x, rounds me
	    WHERE q.registration_id = p_reg AND x.id = q.round_id
	    AND me.id = p_round AND x.event_id = me.event_id
	    AND x.position > me.position AND q.status = 'waiting';
	IF res = 'fail' THEN
		UPDATE registrations SET status = 'rejected',
		    current_round_id = p_round, updated_at = now()
		    WHERE id = p_reg;
		RETURN 'rejected';
	END IF;
	SELECT n.id INTO nxt FROM rounds n, rounds me WHERE me.id = p_round
	    AND n.event_id = me.event_id AND n.position > me.position
	    ORDER BY n.position LIMIT 1;
	IF nxt IS NULL THEN
		UPDATE registrations SET status = 'selected',
		    current_round_id = p_round, updated_at = now()
		    WHERE id = p_reg;
		RETURN 'selected';
	END IF;
	UPDATE registrations SET status = 'interviewing', current_round_id = nxt,
	    updated_at = now() WHERE id = p_reg;
	SELECT ri.user_id INTO iv FROM round_interviewers ri
	    WHERE ri.round_id = nxt
	    ORDER BY (SELECT count(*) FROM interview_queue q WHERE q.round_id = nxt
	        AND q.interviewer_id = ri.user_id
	        AND q.status IN ('waiting', 'called', 'accepted', 'in_interview')),
	        ri.user_id
	    LIMIT 1;
	IF iv IS NOT NULL THEN
		PERFORM queue_assign(nxt, p_reg, iv);
	END IF;
	RETURN 'interviewing';
END $$;

-- HR places p_reg in p_iv's queue of p_round: what changed, one of
-- queued (new), moved (waiting, to another interviewer), requeued
-- (declined, no_show, left or held, back in line), nothing changed
-- (waiting for that interviewer already), done (interviewed: refused),
-- busy (called or in an interview: refused).
CREATE FUNCTION queue_place(p_round bigint, p_reg bigint, p_iv bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	cur record;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('queue:' || p_round));
	SELECT interviewer_id, status INTO cur FROM interview_queue
	    WHERE round_id = p_round AND registration_id = p_reg FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM queue_assign(p_round, p_reg, p_iv);
		RETURN 'queued';
	END IF;
	IF cur.status = 'done' THEN
		RETURN 'done';
	END IF;
	IF cur.status IN ('called', 'accepted', 'in_interview') THEN
		RETURN 'busy';
	END IF;
	IF cur.status = 'waiting' AND cur.interviewer_id = p_iv THEN
		RETURN 'nothing changed';
	END IF;
	PERFORM queue_assign(p_round, p_reg, p_iv);
	RETURN CASE WHEN cur.status = 'waiting' THEN 'moved' ELSE 'requeued' END;
END $$;

-- An interviewer who left a round is away until they call someone again.
ALTER TABLE round_interviewers ADD COLUMN away boolean NOT NULL DEFAULT false;

-- Interviewer p_iv leaves round p_round: each candidate waiting for them
-- goes to the round's other interviewer (not away) with the fewest waiting
-- (ties: the lower id), or, when there is none, is held.  Returns how many
-- moved.
CREATE FUNCTION interviewer_leave(p_round bigint, p_iv bigint)
RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	r record;
	iv bigint;
	n int := 0;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('queue:' || p_round));
	UPDATE round_interviewers SET away = true
	    WHERE round_id = p_round AND user_id = p_iv;
	FOR r IN SELECT q.registration_id FROM interview_queue q
	    WHERE q.round_id = p_round AND q.interviewer_id = p_iv
	    AND q.status = 'waiting' ORDER BY q.position, q.id FOR UPDATE
	LOOP
		SELECT ri.user_id INTO iv FROM round_interviewers ri
		    WHERE ri.round_id = p_round AND ri.user_id <> p_iv AND NOT ri.away
		    ORDER BY (SELECT count(*) FROM interview_queue q
		        WHERE q.round_id = p_round AND q.interviewer_id = ri.user_id
		        AND q.status IN ('waiting', 'called', 'accepted',
		        'in_interview')), ri.user_id
		    LIMIT 1;
		IF iv IS NULL THEN
			UPDATE interview_queue SET status = 'held', updated_at = now()
			    WHERE round_id = p_round AND registration_id =
			    r.registration_id;
		ELSE
			PERFORM queue_assign(p_round, r.registration_id, iv);
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END $$;

-- What HR mailed an event's people: one row per send-event-mail, the mail
-- told apart by its kind and the event's details when sent (version).  A
-- repeat of one mailing within the window is refused; each person gets
-- at most one copy of each mailing (the outbox key names the mailing).
CREATE TABLE event_mailings (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	audience	text NOT NULL
			CHECK (audience IN ('interviewers', 'candidates', 'all')),
	kind		text NOT NULL CHECK (kind IN ('invite', 'reminder')),
	version		text NOT NULL,
	requested_by	bigint REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_mailings_event_idx ON event_mailings (event_id, created_at);

-- The event's details a mail tells: a change makes the mail a new one.
CREATE FUNCTION event_mail_version(p_event bigint)
RETURNS text LANGUAGE sql STABLE AS $$
SELECT md5(concat_ws('|', e.title, e.description, e.department_id,
    e.location, e.employment_type, e.start_date, e.end_date,
    (SELECT string_agg(ro.name || ':' || coalesce((SELECT string_agg(
        ri.user_id::text, ',' ORDER BY ri.user_id) FROM round_interviewers ri
        WHERE ri.round_id = ro.id), ''), ';' ORDER BY ro.position)
     FROM rounds ro WHERE ro.event_id = e.id)))
FROM events e WHERE e.id = p_event
$$;

-- A mailing of p_event, unless the same one (kind, version, an audience
-- overlapping) went out within p_window seconds: then no id, and when
-- that one was sent.  A new mailing's fan-out job is enqueued with it.
CREATE FUNCTION event_mailing_add(p_event bigint, p_audience text,
    p_kind text, p_user bigint, p_window integer)
RETURNS TABLE (mailing_id bigint, sent_at timestamptz, version text)
LANGUAGE plpgsql AS $$
DECLARE
	v text;
	prev timestamptz;
	mid bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('mailing:' || p_event));
	v := event_mail_version(p_event);
	SELECT m.created_at INTO prev FROM event_mailings m
	    WHERE m.event_id = p_event AND m.kind = p_kind AND m.version = v
	    AND (m.audience = p_audience OR m.audience = 'all'
	        OR p_audience = 'all')
	    AND m.created_at > now() - make_interval(secs => p_window)
	    ORDER BY m.created_at DESC LIMIT 1;
	IF FOUND THEN
		RETURN QUERY SELECT NULL::bigint, prev, v;
		RETURN;
	END IF;
	INSERT INTO event_mailings (event_id, audience, kind, version,
	    requested_by) VALUES (p_event, p_audience, p_kind, v, p_user)
	    RETURNING id INTO mid;
	INSERT INTO jobs (kind, args, unique_key) VALUES ('event_mail',
	    json_build_object('event_id', p_event, 'audience', p_audience,
	    'kind', p_kind, 'mailing_id', mid), 'event_mail:' || mid);
	RETURN QUERY SELECT mid, now(), v;
END $$;

-- PATCH event's rounds (fcgi/h_events.c), until the event's first
-- interview starts (someone was called, or reviewed): then 'started' and
-- nothing changes.  p_rounds: [{name, interviewers?, questions?}], checked
-- by the caller.  Round n keeps its id (its queue) and takes the n-th
-- name; interviewers and questions given replace the round's (absent:
-- kept); rounds past the last given go.  A candidate waiting for an
-- interviewer taken off a round goes to the round's remaining
-- interviewers, balanced, or, with none, out of the queue (shortlisted
-- again).
CREATE FUNCTION event_rounds_set(p_event bigint, p_rounds jsonb)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r record;
	w record;
	rid bigint;
	iv bigint;
	ids bigint[];
	n int := jsonb_array_length(p_rounds);
BEGIN
	PERFORM 1 FROM interview_queue q JOIN rounds ro ON ro.id = q.round_id
	    WHERE ro.event_id = p_event FOR UPDATE OF q;
	IF EXISTS (SELECT 1 FROM interview_queue q JOIN rounds ro
	        ON ro.id = q.round_id WHERE ro.event_id = p_event
	        AND q.status NOT IN ('waiting', 'held'))
	    OR EXISTS (SELECT 1 FROM reviews v JOIN rounds ro
	        ON ro.id = v.round_id WHERE ro.event_id = p_event) THEN
		RETURN 'started';
	END IF;
	UPDATE registrations SET current_round_id = NULL, status = CASE
	    WHEN status = 'interviewing' THEN 'shortlisted' ELSE status END,
	    updated_at = now()
	    WHERE current_round_id IN (SELECT id FROM rounds
	        WHERE event_id = p_event AND position > n);
	DELETE FROM rounds WHERE event_id = p_event AND position > n;
	FOR r IN SELECT x.value AS v, x.o::int AS pos
	    FROM jsonb_array_elements(p_rounds) WITH ORDINALITY AS x(value, o)
	LOOP
		INSERT INTO rounds (event_id, position, name)
		    VALUES (p_event, r.pos, r.v->>'name')
		    ON CONFLICT (event_id, position) DO UPDATE SET name = excluded.name
		    RETURNING id INTO rid;
		IF jsonb_typeof(r.v->'interviewers') = 'array' THEN
			ids := ARRAY(SELECT (x #>> '{}')::bigint
			    FROM jsonb_array_elements(r.v->'interviewers') x);
			INSERT INTO round_interviewers (round_id, user_id)
			    SELECT rid, u FROM unnest(ids) u ON CONFLICT DO NOTHING;
			FOR w IN SELECT registration_id FROM interview_queue
			    WHERE round_id = rid AND interviewer_id <> ALL (ids)
			    ORDER BY position, id
			LOOP
				SELECT ri.user_id INTO iv FROM round_interviewers ri
				    WHERE ri.round_id = rid AND ri.user_id = ANY (ids)
				    ORDER BY (SELECT count(*) FROM interview_queue x
				        WHERE x.round_id = rid
				        AND x.interviewer_id = ri.user_id), ri.user_id
				    LIMIT 1;
				IF iv IS NULL THEN
					DELETE FROM interview_queue WHERE round_id = rid
					    AND registration_id = w.registration_id;
					UPDATE registrations SET current_round_id = NULL,
					    status = CASE WHEN status = 'interviewing'
					    THEN 'shortlisted' ELSE status END,
					    updated_at = now() WHERE id = w.registration_id;
				ELSE
					PERFORM queue_assign(rid, w.registration_id, iv);
				END IF;
			END LOOP;
			DELETE FROM round_interviewers WHERE round_id = rid
			    AND user_id <> ALL (ids);
		END IF;
		IF jsonb_typeof(r.v->'questions') = 'array' THEN
			DELETE FROM questions WHERE round_id = rid;
			INSERT INTO questions (round_id, position, text)
			    SELECT rid, x.o, CASE jsonb_typeof(x.value)
			        WHEN 'string' THEN x.value #>> '{}'
			        ELSE x.value->>'text' END
			    FROM jsonb_array_elements(r.v->'questions')
			        WITH ORDINALITY AS x(value, o);
		END IF;
	END LOOP;
	RETURN 'ok';
END $$;
