-- Hiring decisions one can defend: a tamper-evident audit log, rubrics and
-- panel scorecards, blind screening, duplicates with reasons, voluntary
-- self-identification for the adverse-impact report.

-- ---------------------------------------------------------------------
-- The audit log.  Every change to a candidate's outcome or to access
-- appends a row in the transaction that made it: who (connectify.actor,
-- set by the application per request; NULL for the worker or a hand-run
-- session, whose database role is kept in db_user), what, when, before and
-- after.  At commit each row takes its place in one chain: seq follows the
-- previous row's, prev_hash is that row's hash, and hash is the SHA-256
-- (hex) of prev_hash followed by the row's canonical JSON
-- (audit_canonical).  The chain's head (audit_head) is locked only at
-- commit, after every other lock the transaction takes, so appends never
-- deadlock with each other.  connectify-fcgi --verify-audit checks it all.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	seq		bigint UNIQUE,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_id	bigint,
	db_user		text NOT NULL DEFAULT session_user,
	action		text NOT NULL,
	event_id	bigint,
	registration_id	bigint,
	object		text NOT NULL DEFAULT '',
	object_id	text NOT NULL DEFAULT '',
	before		jsonb,
	after		jsonb,
	prev_hash	text,
	hash		text
);
CREATE INDEX audit_log_reg_idx ON audit_log (registration_id, seq);
CREATE INDEX audit_log_event_idx ON audit_log (event_id, seq);

CREATE TABLE audit_head (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	last_seq	bigint NOT NULL,
	last_hash	text NOT NULL
);
INSERT INTO audit_head VALUES (true, 0, repeat('0', 64));

-- The canonical JSON of a row: jsonb's text form (keys in jsonb's fixed
-- order), the time in UTC to the microsecond.
CREATE FUNCTION audit_canonical(a audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('seq', a.seq,
    'at', to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor_id', a.actor_id, 'db_user', a.db_user, 'action', a.action,
    'event_id', a.event_id, 'registration_id', a.registration_id,
    'object', a.object, 'object_id', a.object_id,
    'before', a.before, 'after', a.after)::text
$$;

-- The acting user of this transaction (connectify.actor), or NULL.
CREATE FUNCTION audit_actor() RETURNS bigint LANGUAGE sql STABLE AS $$
SELECT CASE WHEN current_setting('connectify.actor', true) ~ '^[1-9][0-9]*$'
    THEN current_setting('connectify.actor', true)::bigint END
$$;

-- audit_append: the one way to write the log, for every code path (the
-- triggers below; handlers for what changes no row, e.g. a resume
-- download; data-rights work such as exports and erasure should call it
-- too).  p_action names the change ('registration.status', 'export',
-- 'erasure', ...), p_object and p_object_id what it changed; before and
-- after are JSON objects (or NULL).  Returns the row's id; the chain is
-- extended when the transaction commits.
CREATE FUNCTION audit_append(p_action text, p_event bigint, p_reg bigint,
    p_object text, p_object_id text, p_before jsonb, p_after jsonb)
RETURNS bigint LANGUAGE sql VOLATILE AS $$
INSERT INTO audit_log (actor_id, action, event_id, registration_id, object,
    object_id, before, after)
    VALUES (audit_actor(), p_action, p_event, p_reg, coalesce(p_object, ''),
    coalesce(p_object_id, ''), p_before, p_after)
    RETURNING id
$$;

-- At commit: the row's place in the chain.
CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	h	audit_head;
	a	audit_log;
BEGIN
	SELECT * INTO h FROM audit_head FOR UPDATE;
	SELECT * INTO a FROM audit_log WHERE id = NEW.id;
	IF NOT FOUND OR a.seq IS NOT NULL THEN
		RETURN NULL;
	END IF;
	a.seq := h.last_seq + 1;
	a.prev_hash := h.last_hash;
	a.hash := encode(sha256(convert_to(a.prev_hash || audit_canonical(a),
	    'UTF8')), 'hex');
	UPDATE audit_log SET seq = a.seq, prev_hash = a.prev_hash,
	    hash = a.hash WHERE id = a.id;
	UPDATE audit_head SET last_seq = a.seq, last_hash = a.hash;
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER audit_log_chain AFTER INSERT ON audit_log
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
	EXECUTE FUNCTION audit_chain();

-- The fields of old and new (JSON objects) named in keys that differ:
-- (before, after), or NULLs when none does.
CREATE FUNCTION audit_diff(o jsonb, n jsonb, keys text[],
    OUT before jsonb, OUT after jsonb) LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_object_agg(k, o -> k), jsonb_object_agg(k, n -> k)
    FROM unnest(keys) k
    WHERE (o -> k) IS DISTINCT FROM (n -> k)
$$;

-- One trigger function for the audited tables: TG_ARGV[0] the object's
-- name, TG_ARGV[1] the columns watched (a text[] literal).  An insert or
-- delete is logged whole (those columns); an update when one of them
-- changed.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	keys	text[] := TG_ARGV[1]::text[];
	o	jsonb;
	n	jsonb;
	d	record;
	r	jsonb;
	ev	bigint;
	reg	bigint;
BEGIN
	o := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
	n := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
	SELECT * INTO d FROM audit_diff(coalesce(o, '{}'), coalesce(n, '{}'),
	    keys);
	IF d.before IS NULL AND d.after IS NULL THEN
		RETURN NULL;
	END IF;
	r := coalesce(n, o);
	reg := CASE TG_ARGV[0] WHEN 'registration' THEN (r ->> 'id')::bigint
	    ELSE (r ->> 'registration_id')::bigint END;
	ev := (r ->> 'event_id')::bigint;
	IF ev IS NULL AND reg IS NOT NULL THEN
		SELECT event_id INTO ev FROM registrations WHERE id = reg;
	END IF;
	PERFORM audit_append(TG_ARGV[0] || '.' || lower(TG_OP), ev, reg,
	    TG_ARGV[0], coalesce(r ->> 'id', (r ->> 'event_id') || '/' ||
	    (r ->> 'user_id')), CASE WHEN TG_OP = 'INSERT' THEN NULL
	    ELSE d.before END, CASE WHEN TG_OP = 'DELETE' THEN NULL
	    ELSE d.after END);
	RETURN NULL;
END $$;

CREATE TRIGGER registrations_audit AFTER INSERT OR UPDATE OR DELETE
	ON registrations FOR EACH ROW EXECUTE FUNCTION audit_row('registration',
	'{status,shortlisted,current_round_id,ats_score,user_id}');
CREATE TRIGGER reviews_audit AFTER INSERT OR UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION audit_row('review',
	'{round_id,interviewer_id,rating,result,comments}');
CREATE TRIGGER interview_queue_audit AFTER INSERT OR UPDATE OR DELETE
	ON interview_queue FOR EACH ROW EXECUTE FUNCTION audit_row('queue',
	'{round_id,interviewer_id,status}');
CREATE TRIGGER users_audit AFTER UPDATE OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION audit_row('user',
	'{user_type,is_admin,is_active}');
CREATE TRIGGER event_owners_audit AFTER INSERT OR DELETE ON event_owners
	FOR EACH ROW EXECUTE FUNCTION audit_row('event_owner',
	'{event_id,user_id}');

-- ---------------------------------------------------------------------
-- Rubrics and panel scorecards.  A round's rubric: criteria (what, weight,
-- what a 1 and a 5 look like) and its advance rule (at least min_raters
-- scorecards, a mean weighted score of at least min_mean, no strong_no
-- when veto_strong_no).  Each of the round's interviewers may submit one
-- scorecard per candidate: 1-5 per criterion with a note, and a
-- recommendation.  When the rule holds the candidate moves on; a spread of
-- 2 or more on a criterion is a disagreement HR is told of; HR decides
-- against (or before) the rule only with a written reason.
CREATE TABLE round_rubrics (
	round_id	bigint PRIMARY KEY REFERENCES rounds ON DELETE CASCADE,
	min_raters	integer NOT NULL DEFAULT 2 CHECK (min_raters BETWEEN 1 AND 20),
	min_mean	numeric(3,2) NOT NULL DEFAULT 3.5
			CHECK (min_mean BETWEEN 1 AND 5),
	veto_strong_no	boolean NOT NULL DEFAULT true,
	updated_by	bigint REFERENCES users ON DELETE SET NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE rubric_criteria (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	round_id	bigint NOT NULL REFERENCES round_rubrics ON DELETE CASCADE,
	position	integer NOT NULL,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
	weight		numeric(6,2) NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 100),
	anchor_1	text NOT NULL DEFAULT '' CHECK (length(anchor_1) <= 1000),
	anchor_5	text NOT NULL DEFAULT '' CHECK (length(anchor_5) <= 1000),
	UNIQUE (round_id, position)
);
CREATE TABLE scorecards (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	registration_id	bigint NOT NULL REFERENCES registrations ON DELETE CASCADE,
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	rater_id	bigint NOT NULL REFERENCES users,
	recommendation	text NOT NULL CHECK (recommendation IN
			    ('strong_no', 'no', 'yes', 'strong_yes')),
	comments	text NOT NULL DEFAULT '' CHECK (length(comments) <= 4000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (registration_id, round_id, rater_id)
);
CREATE TABLE scorecard_scores (
	scorecard_id	bigint NOT NULL REFERENCES scorecards ON DELETE CASCADE,
	criterion_id	bigint NOT NULL REFERENCES rubric_criteria ON DELETE CASCADE,
	score		smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	PRIMARY KEY (scorecard_id, criterion_id)
);
-- HR's decision for a candidate in a round, with its reason; against_rule
-- when it is not what the rule said at the time.
CREATE TABLE round_decisions (
	registration_id	bigint NOT NULL REFERENCES registrations ON DELETE CASCADE,
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	decision	text NOT NULL CHECK (decision IN ('advance', 'reject')),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
	against_rule	boolean NOT NULL,
	decided_by	bigint NOT NULL REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (registration_id, round_id)
);

CREATE TRIGGER scorecards_audit AFTER INSERT OR UPDATE OR DELETE
	ON scorecards FOR EACH ROW EXECUTE FUNCTION audit_row('scorecard',
	'{round_id,rater_id,recommendation,comments}');
CREATE TRIGGER round_decisions_audit AFTER INSERT OR UPDATE OR DELETE
	ON round_decisions FOR EACH ROW EXECUTE FUNCTION audit_row('decision',
	'{round_id,decision,reason,against_rule,decided_by}');
CREATE TRIGGER round_rubrics_audit AFTER INSERT OR UPDATE OR DELETE
	ON round_rubrics FOR EACH ROW EXECUTE FUNCTION audit_row('rubric',
	'{round_id,min_raters,min_mean,veto_strong_no}');

-- A candidate's outcome in a round: p_res 'pass' moves them to the next
-- round's queue (after the last: selected), 'fail' rejects them.  The
-- single review (review_advance) and the panel both end here.
CREATE FUNCTION round_outcome(p_reg bigint, p_round bigint, p_res text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	nxt bigint;
	iv bigint;
BEGIN
	UPDATE interview_queue SET status = 'done', updated_at = now()
	    WHERE round_id = p_round AND registration_id = p_reg
	    AND status <> 'done';
	DELETE FROM interview_queue q USING rounds x, rounds me
	    WHERE q.registration_id = p_reg AND x.id = q.round_id
	    AND me.id = p_round AND x.event_id = me.event_id
	    AND x.position > me.position AND q.status = 'waiting';
	IF p_res = 'fail' THEN
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

-- The panel's state for p_reg in p_round: raters, the mean weighted score
-- (each rater's weighted mean, averaged), strong_no count, the criteria
-- whose scores spread by 2 or more, the rule and whether it holds.
CREATE FUNCTION scorecard_summary(p_reg bigint, p_round bigint)
RETURNS jsonb LANGUAGE sql STABLE AS $$
WITH per AS (
	SELECT s.id, s.recommendation, sum(c.weight * x.score) / sum(c.weight)
	    AS wmean
	FROM scorecards s JOIN scorecard_scores x ON x.scorecard_id = s.id
	JOIN rubric_criteria c ON c.id = x.criterion_id
	WHERE s.registration_id = p_reg AND s.round_id = p_round
	GROUP BY s.id, s.recommendation
), spread AS (
	SELECT c.id, c.name, max(x.score) - min(x.score) AS spread
	FROM scorecards s JOIN scorecard_scores x ON x.scorecard_id = s.id
	JOIN rubric_criteria c ON c.id = x.criterion_id
	WHERE s.registration_id = p_reg AND s.round_id = p_round
	GROUP BY c.id, c.name HAVING max(x.score) - min(x.score) >= 2
), agg AS (
	SELECT count(*) AS n, round(avg(wmean), 2) AS mean,
	    count(*) FILTER (WHERE recommendation = 'strong_no') AS sno
	FROM per
)
SELECT jsonb_build_object('raters', agg.n, 'weighted_mean', agg.mean,
    'strong_no', agg.sno,
    'disagreements', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'criterion_id', id, 'name', name, 'spread', spread) ORDER BY id)
	FROM spread), '[]'),
    'rule', jsonb_build_object('min_raters', r.min_raters, 'min_mean',
	r.min_mean, 'no_strong_no', r.veto_strong_no),
    'holds', agg.n >= r.min_raters AND agg.mean >= r.min_mean AND
	(NOT r.veto_strong_no OR agg.sno = 0))
FROM agg, round_rubrics r WHERE r.round_id = p_round
$$;

-- After a scorecard: the panel's state, and when the rule holds (and HR
-- has not decided) the candidate moves on: outcome is round_outcome's
-- answer, or NULL when nothing moved.
CREATE FUNCTION scorecard_apply(p_reg bigint, p_round bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	s	jsonb := scorecard_summary(p_reg, p_round);
	o	text;
BEGIN
	IF (s ->> 'holds')::boolean AND NOT EXISTS (SELECT 1 FROM
	    round_decisions WHERE registration_id = p_reg AND
	    round_id = p_round) THEN
		o := round_outcome(p_reg, p_round, 'pass');
	END IF;
	RETURN s || jsonb_build_object('outcome', o);
END $$;

-- ---------------------------------------------------------------------
-- Blind screening: an event hides who its candidates are (name, email,
-- phone, username, the resume file, the parsed identity fields: links,
-- schools and graduation years) from its screeners and interviewers until
-- a candidate reaches the stage HR chose.  The ATS score never reads them
-- (lib/scorer.c scores the resume with them taken out).
CREATE TABLE event_blind (
	event_id	bigint PRIMARY KEY REFERENCES events ON DELETE CASCADE,
	until		text NOT NULL
			CHECK (until IN ('shortlisted', 'interviewing', 'selected')),
	updated_by	bigint REFERENCES users ON DELETE SET NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER event_blind_audit AFTER INSERT OR UPDATE OR DELETE
	ON event_blind FOR EACH ROW EXECUTE FUNCTION audit_row('blind',
	'{event_id,until}');

-- How far a registration got: applied 0, shortlisted 1, interviewing 2,
-- selected 3; rejected and withdrawn never reach a stage.
CREATE FUNCTION stage_rank(p_status text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE p_status WHEN 'applied' THEN 0 WHEN 'shortlisted' THEN 1
    WHEN 'interviewing' THEN 2 WHEN 'selected' THEN 3 ELSE -1 END
$$;

-- Is a candidate of p_event with status p_status hidden from staff?
CREATE FUNCTION blind_hides(p_event bigint, p_status text) RETURNS boolean
LANGUAGE sql STABLE AS $$
SELECT EXISTS (SELECT 1 FROM event_blind b WHERE b.event_id = p_event
    AND stage_rank(p_status) < stage_rank(b.until))
$$;

-- A registration's JSON (REG_ROW) as staff see it: when hidden, the user
-- is "Candidate <registration id>" with no username, email or phone, and
-- the parsed resume has no name, email, phone, links or education.
CREATE FUNCTION blind_json(p_event bigint, p_status text, j json)
RETURNS json LANGUAGE sql STABLE AS $$
SELECT CASE WHEN blind_hides(p_event, p_status) THEN (j::jsonb ||
    jsonb_build_object('blind', true, 'user', jsonb_build_object('id',
	j -> 'user' -> 'id', 'name', 'Candidate ' || (j ->> 'registration_id'),
	'username', NULL, 'email', NULL, 'phone_number', NULL),
    'ats_result', (j -> 'ats_result')::jsonb -
	'{name,email,phone,links,education}'::text[]))::json
    ELSE j END
$$;
-- Cached lists (register_user) read it: a change drops them.
CREATE TRIGGER event_blind_changed AFTER INSERT OR UPDATE OR DELETE OR
	TRUNCATE ON event_blind FOR EACH STATEMENT
	EXECUTE FUNCTION notify_changed();

-- ---------------------------------------------------------------------
-- Duplicates with reasons.  Candidates are matched across uploads and
-- events: by email (the same mailbox: case, "+tags" and, for Gmail, dots
-- aside), by phone (the last 10 digits), by name (the same words in any
-- order, or within 2 edits), and by a resume that matched an account
-- (resume_duplicates).  Nothing is merged silently: HR merges a pair
-- (the other account's registrations and resumes move to the kept one
-- where that loses nothing, the rest stay; the other account is closed;
-- nothing is deleted) or marks it distinct, and either is kept here.
CREATE TABLE duplicate_decisions (
	user_lo		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	user_hi		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	decision	text NOT NULL CHECK (decision IN ('merged', 'distinct')),
	kept_id		bigint REFERENCES users ON DELETE SET NULL,
	reason		text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
	decided_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_lo, user_hi),
	CHECK (user_lo < user_hi)
);
CREATE TRIGGER duplicate_decisions_audit AFTER INSERT OR UPDATE OR DELETE
	ON duplicate_decisions FOR EACH ROW EXECUTE FUNCTION
	audit_row('duplicate', '{user_lo,user_hi,decision,kept_id,reason}');

CREATE FUNCTION email_key(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN split_part(lower(p), '@', 2) IN ('gmail.com',
    'googlemail.com') THEN replace(split_part(split_part(lower(p), '@', 1),
    '+', 1), '.', '') || '@gmail.com' ELSE split_part(split_part(lower(p),
    '@', 1), '+', 1) || '@' || split_part(lower(p), '@', 2) END
$$;
CREATE FUNCTION phone_key(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT right(regexp_replace(p, '[^0-9]', '', 'g'), 10)
$$;
-- A name's words, lower case, letters only, sorted.
CREATE FUNCTION name_key(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT coalesce(string_agg(w, ' ' ORDER BY w), '') FROM
    regexp_split_to_table(lower(regexp_replace(p, '[^A-Za-z ]', '', 'g')),
    ' +') w WHERE w <> ''
$$;
-- Edit distance of a and b, giving up (returning cap + 1) past cap.
CREATE FUNCTION edit_distance(a text, b text, cap integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	prev	integer[];
	cur	integer[];
	i	integer;
	j	integer;
	best	integer;
BEGIN
	IF abs(length(a) - length(b)) > cap THEN
		RETURN cap + 1;
	END IF;
	prev := ARRAY(SELECT generate_series(0, length(b)));
	FOR i IN 1 .. length(a) LOOP
		cur := ARRAY[i];
		best := i;
		FOR j IN 1 .. length(b) LOOP
			cur := cur || least(prev[j + 1] + 1, cur[j] + 1,
			    prev[j] + CASE WHEN substr(a, i, 1) = substr(b, j, 1)
			    THEN 0 ELSE 1 END);
			best := least(best, cur[j + 1]);
		END LOOP;
		IF best > cap THEN
			RETURN cap + 1;
		END IF;
		prev := cur;
	END LOOP;
	RETURN least(prev[length(b) + 1], cap + 1);
END $$;

-- The possible duplicates of p_event's candidates among every candidate:
-- pairs (the event's candidate first) with their reasons and a
-- confidence (the strongest reason's), undecided ones only.
CREATE FUNCTION duplicates_json(p_event bigint) RETURNS json
LANGUAGE sql STABLE AS $$
WITH mine AS (
	SELECT u.id, u.name, u.email, u.phone_number FROM registrations g
	JOIN users u ON u.id = g.user_id WHERE g.event_id = p_event
), everyone AS (
	SELECT u.id, u.name, u.email, u.phone_number FROM users u
	WHERE u.user_type = 'Interviewee' AND u.is_active
), hits AS (
	SELECT m.id AS a, o.id AS b, 'email' AS reason, 0.95 AS confidence,
	    'the same mailbox: ' || m.email || ' and ' || o.email AS detail
	FROM mine m JOIN everyone o ON o.id <> m.id AND
	    email_key(o.email) = email_key(m.email)
	UNION ALL
	SELECT m.id, o.id, 'phone', 0.9, 'the same phone number (last 10 '
	    'digits ' || phone_key(m.phone_number) || ')'
	FROM mine m JOIN everyone o ON o.id <> m.id AND
	    phone_key(o.phone_number) = phone_key(m.phone_number)
	UNION ALL
	SELECT m.id, o.id, 'name', CASE WHEN d = 0 THEN 0.7 ELSE 0.6 - 0.1 * d
	    END, CASE WHEN d = 0 THEN 'the same name: ' ELSE 'similar names ('
	    || d || ' edits): ' END || m.name || ' and ' || o.name
	FROM mine m JOIN everyone o ON o.id <> m.id AND
	    left(name_key(o.name), 1) = left(name_key(m.name), 1),
	    LATERAL (SELECT edit_distance(name_key(m.name), name_key(o.name),
	    2) AS d) x
	WHERE x.d <= CASE WHEN length(name_key(m.name)) >= 8 THEN 2 ELSE 0 END
	UNION ALL
	SELECT g.user_id, coalesce(d.user_id, t.user_id), 'resume',
	    1.0, 'an uploaded resume (' || t.file_name || ') matched this '
	    'account by ' || d.reason
	FROM resume_duplicates d JOIN resume_tracks t ON t.id = d.track_id
	JOIN registrations g ON g.id = d.registration_id
	WHERE d.event_id = p_event AND d.reason IN ('email', 'phone')
), pairs AS (
	SELECT a, b, max(confidence) AS confidence, json_agg(json_build_object(
	    'reason', reason, 'confidence', confidence, 'detail', detail)
	    ORDER BY confidence DESC, reason) AS reasons
	FROM hits h WHERE NOT EXISTS (SELECT 1 FROM duplicate_decisions dd
	    WHERE dd.user_lo = least(h.a, h.b) AND dd.user_hi = greatest(h.a,
	    h.b))
	GROUP BY a, b
)
SELECT coalesce(json_agg(json_build_object('user', json_build_object('id',
    ua.id, 'name', ua.name, 'email', ua.email), 'other', CASE WHEN
    p.a = p.b THEN NULL ELSE json_build_object('id', ub.id, 'name', ub.name,
    'email', ub.email, 'events', (SELECT coalesce(json_agg(g.event_id ORDER
    BY g.event_id), '[]') FROM registrations g WHERE g.user_id = ub.id))
    END, 'confidence', p.confidence, 'reasons', p.reasons)
    ORDER BY p.confidence DESC, p.a, p.b), '[]')
FROM pairs p JOIN users ua ON ua.id = p.a JOIN users ub ON ub.id = p.b
$$;

-- Merge p_other into p_keep: p_other's registrations in events p_keep is
-- not in, and their resumes, move to p_keep; the rest stay where they
-- are; p_other is closed.  Returns {moved: [registration ids], kept:
-- [registration ids left with p_other]}.
CREATE FUNCTION duplicate_merge(p_keep bigint, p_other bigint, p_reason text,
    p_by bigint) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
	moved	bigint[];
	kept	bigint[];
BEGIN
	INSERT INTO duplicate_decisions (user_lo, user_hi, decision, kept_id,
	    reason, decided_by) VALUES (least(p_keep, p_other),
	    greatest(p_keep, p_other), 'merged', p_keep, p_reason, p_by);
	WITH m AS (
		UPDATE registrations g SET user_id = p_keep, updated_at = now()
		WHERE g.user_id = p_other AND NOT EXISTS (SELECT 1 FROM
		    registrations k WHERE k.user_id = p_keep AND
		    k.event_id = g.event_id)
		RETURNING g.id
	) SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO moved FROM m;
	UPDATE resume_tracks SET user_id = p_keep WHERE user_id = p_other
	    AND (registration_id IS NULL OR registration_id = ANY (moved));
	SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO kept
	    FROM registrations WHERE user_id = p_other;
	UPDATE users SET is_active = false WHERE id = p_other;
	RETURN json_build_object('moved', to_json(moved), 'kept',
	    to_json(kept));
END $$;

-- ---------------------------------------------------------------------
-- Voluntary self-identification, for the adverse-impact report only.
-- Categories and their values are configurable (rows of
-- self_id_categories); a candidate answers with consent and may withdraw
-- (their rows go).  Kept apart from everything raters see: no list,
-- registration, audit row or message carries them; only the organisation
-- admin reads them, and only counted (GET adverse-impact).
CREATE TABLE self_id_categories (
	category	text NOT NULL CHECK (category ~ '^[a-z_]{1,32}$'),
	value		text NOT NULL CHECK (value ~ '^[a-z0-9_]{1,32}$'),
	position	integer NOT NULL DEFAULT 0,
	PRIMARY KEY (category, value)
);
INSERT INTO self_id_categories (category, value, position) VALUES
	('gender', 'woman', 1), ('gender', 'man', 2),
	('gender', 'non_binary', 3), ('gender', 'self_described', 4),
	('age_band', 'under_30', 1), ('age_band', '30_39', 2),
	('age_band', '40_49', 3), ('age_band', '50_plus', 4),
	('disability', 'yes', 1), ('disability', 'no', 2);
CREATE TABLE self_identifications (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	category	text NOT NULL,
	value		text NOT NULL,
	consent_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, category),
	FOREIGN KEY (category, value) REFERENCES self_id_categories
	    ON UPDATE CASCADE
);

-- Stages of p_event and, per stage and self-identified group, how many
-- were there (applicants) and how many went on (advanced): shortlist
-- (every registration; advanced when shortlisted or queued), then each
-- round (those queued in it; advanced when queued in a later round, or
-- selected after the last).
CREATE FUNCTION impact_counts(p_event bigint) RETURNS TABLE (stage text,
    pos integer, category text, value text, applicants bigint,
    advanced bigint) LANGUAGE sql STABLE AS $$
WITH st AS (
	SELECT g.user_id, 'shortlist'::text AS stage, 0 AS pos,
	    (g.shortlisted OR stage_rank(g.status) >= 1 OR EXISTS (SELECT 1
	    FROM interview_queue q WHERE q.registration_id = g.id)) AS adv
	FROM registrations g WHERE g.event_id = p_event
	UNION ALL
	SELECT g.user_id, ro.name, ro.position, EXISTS (SELECT 1 FROM
	    interview_queue q2 JOIN rounds x ON x.id = q2.round_id WHERE
	    q2.registration_id = g.id AND x.event_id = ro.event_id AND
	    x.position > ro.position) OR (g.status = 'selected' AND NOT EXISTS
	    (SELECT 1 FROM rounds n WHERE n.event_id = ro.event_id AND
	    n.position > ro.position))
	FROM rounds ro JOIN interview_queue q ON q.round_id = ro.id
	JOIN registrations g ON g.id = q.registration_id
	WHERE ro.event_id = p_event
)
SELECT st.stage, st.pos, s.category, s.value, count(*),
    count(*) FILTER (WHERE st.adv)
FROM st JOIN self_identifications s ON s.user_id = st.user_id
GROUP BY st.stage, st.pos, s.category, s.value
ORDER BY st.pos, s.category, s.value
$$;

-- The round's queues as before, a hidden candidate (blind_hides) named
-- "Candidate <registration id>" without username.
CREATE OR REPLACE FUNCTION round_queues_json(p_round bigint,
    p_interviewer bigint) RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object('round_id', p_round, 'queues', coalesce(json_agg(
	json_build_object('interviewer', json_build_object('id', u.id,
	    'name', u.name, 'username', u.username),
	'entries', coalesce((SELECT json_agg(json_build_object('queue_id', q.id,
	    'registration_id', q.registration_id, 'candidate',
	    CASE WHEN blind_hides(g.event_id, g.status) THEN
	    json_build_object('id', c.id, 'name', 'Candidate ' || g.id,
	    'username', NULL) ELSE
	    json_build_object('id', c.id, 'name', c.name, 'username', c.username)
	    END, 'position', q.position, 'status', q.status)
	    ORDER BY q.position, q.id)
	    FROM interview_queue q JOIN registrations g ON g.id = q.registration_id
	    JOIN users c ON c.id = g.user_id
	    WHERE q.round_id = p_round AND q.interviewer_id = u.id), '[]'))
	ORDER BY u.id), '[]'))
FROM round_interviewers ri JOIN users u ON u.id = ri.user_id
WHERE ri.round_id = p_round AND (p_interviewer IS NULL OR u.id = p_interviewer)
$$;
