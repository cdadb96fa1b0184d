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
