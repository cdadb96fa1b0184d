-- Interview day: queue assignment and the advance rule, in the database
-- so that every process applies them the same way, under row locks.

-- The interviewers' queues of a round (or one interviewer's) as JSON.
CREATE FUNCTION round_queues_json(p_round bigint, p_interviewer bigint)
RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object('round_id', p_round, 'queues', coalesce(json_agg(
	json_build_object('interviewer', json_build_object('id', u.id,
	    'name', u.name, 'username', u.username),
	'entries', coalesce((SELECT json_agg(json_build_object('queue_id', q.id,
	    'registration_id', q.registration_id, 'candidate',
	    json_build_object('id', c.id, 'name', c.name, 'username', c.username),
	    'position', q.position, 'status', q.status) ORDER BY q.position, q.id)
	    FROM interview_queue q JOIN registrations g ON g.id = q.registration_id
	    JOIN users c ON c.id = g.user_id
	    WHERE q.round_id = p_round AND q.interviewer_id = u.id), '[]'))
	ORDER BY u.id), '[]'))
FROM round_interviewers ri JOIN users u ON u.id = ri.user_id
WHERE ri.round_id = p_round AND (p_interviewer IS NULL OR u.id = p_interviewer)
$$;

-- Put a registration in an interviewer's queue for a round (at its end),
-- or move it there.  The registration is then interviewing in that round.
CREATE FUNCTION queue_assign(p_round bigint, p_reg bigint, p_iv bigint)
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
	    status = CASE WHEN interview_queue.status IN ('done', 'rejected')
	        THEN interview_queue.status ELSE 'waiting' END,
	    updated_at = now()
	RETURNING id INTO qid;
	UPDATE registrations SET current_round_id = p_round,
	    status = CASE WHEN status IN ('applied', 'shortlisted')
	        THEN 'interviewing' ELSE status END, updated_at = now()
	    WHERE id = p_reg;
	RETURN qid;
END $$;

-- Queue everyone due in a round: shortlisted candidates for the first
-- round, candidates moved to this round for later ones; each goes to the
-- interviewer with the fewest people waiting (ties: the lower id).
CREATE FUNCTION queue_auto_assign(p_round bigint)
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
		        AND q.status IN ('waiting', 'called', 'in_progress')),
		        ri.user_id
		    LIMIT 1;
		EXIT WHEN iv IS NULL;
		PERFORM queue_assign(p_round, r.id, iv);
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

-- After a review of p_reg in p_round: a pass moves the candidate to the
-- next round's queue (or selects them after the last round); a fail
-- rejects them.  Returns the registration's new status.
CREATE FUNCTION review_advance(p_reg bigint, p_round bigint)
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
	        AND q.status IN ('waiting', 'called', 'in_progress')), ri.user_id
	    LIMIT 1;
	IF iv IS NOT NULL THEN
		PERFORM queue_assign(nxt, p_reg, iv);
	END IF;
	RETURN 'interviewing';
END $$;
