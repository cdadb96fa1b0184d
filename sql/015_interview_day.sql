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
	    AND q.status NOT IN ('waiting', 'left')) THEN
		RETURN QUERY SELECT i.username, q.round_id,
		    q.status NOT IN ('waiting', 'left') FROM interview_queue q
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
