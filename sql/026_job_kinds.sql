-- The job kinds, one row per kind of lib/jobkind.c's table (the same
-- names, attempt limits and run timeouts; t/check_jobkind.c compares
-- them), and the one way SQL puts work on the queue: job_enqueue(), which
-- refuses a kind not in the table and writes the kind's attempt limit on
-- the job.  Every trigger and function that queued jobs from a literal
-- goes through it now.
--
-- jobs.kind has no foreign key to job_kinds: rows of kinds no program
-- runs are a state the worker handles (it discards them with "unknown
-- job kind"), operators and tests queue such rows by hand, and a worker
-- of the previous release still runs during an upgrade.

CREATE TABLE job_kinds (
	name		text PRIMARY KEY,
	max_attempts	smallint NOT NULL CHECK (max_attempts > 0),
	timeout_s	integer NOT NULL CHECK (timeout_s > 0)
);

INSERT INTO job_kinds (name, max_attempts, timeout_s) VALUES
	('noop', 3, 10),
	('resume', 5, 120),
	('rescore', 3, 3600),
	('mail', 8, 120),
	('event_mail', 5, 300),
	('webhook', 8, 60),
	('retention', 10, 600),
	('erase_files', 10, 300);

-- Queue a job of p_kind: its id, or NULL when p_unique_key (may be NULL)
-- is waiting or running already.  An unknown kind is an error (23503).
CREATE FUNCTION job_enqueue(p_kind text, p_args jsonb,
    p_unique_key text DEFAULT NULL, p_priority integer DEFAULT 0,
    p_delay_s double precision DEFAULT 0)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	lim smallint;
	jid bigint;
BEGIN
	SELECT k.max_attempts INTO lim FROM job_kinds k WHERE k.name = p_kind;
	IF NOT FOUND THEN
		RAISE foreign_key_violation USING
		    MESSAGE = format('unknown job kind "%s"', p_kind);
	END IF;
	INSERT INTO jobs (kind, args, unique_key, priority, run_at,
	    max_attempts)
	VALUES (p_kind, coalesce(p_args, '{}'), p_unique_key, p_priority,
	    now() + make_interval(secs => p_delay_s), lim)
	ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL
	    AND state IN ('available', 'running') DO NOTHING
	RETURNING id INTO jid;
	RETURN jid;
END $$;

-- As sql/015_interview_day.sql, the fan-out job through job_enqueue().
CREATE OR REPLACE FUNCTION event_mailing_add(p_event bigint,
    p_audience text, p_kind text, p_user bigint, p_window integer)
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
	PERFORM job_enqueue('event_mail', jsonb_build_object('event_id',
	    p_event, 'audience', p_audience, 'kind', p_kind, 'mailing_id',
	    mid), 'event_mail:' || mid);
	RETURN QUERY SELECT mid, now(), v;
END $$;

-- As sql/022_rights.sql: a delivery and its job for every active endpoint
-- that wants p_event.
CREATE OR REPLACE FUNCTION webhook_fire(p_event text, p_data jsonb)
RETURNS void LANGUAGE sql AS $$
WITH d AS MATERIALIZED (
	INSERT INTO webhook_deliveries (endpoint_id, event, data)
	SELECT e.id, p_event, p_data FROM webhook_endpoints e
	WHERE e.active AND p_event = ANY (e.events)
	RETURNING id
)
SELECT count(job_enqueue('webhook', jsonb_build_object('delivery_id',
    d.id), 'webhook:' || d.id)) FROM d
$$;

-- As sql/022_rights.sql: a changed published event's calendar mail.
CREATE OR REPLACE FUNCTION events_calendar_mail() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.calendar_seq > OLD.calendar_seq AND OLD.status <> 'Pending'
	    AND coalesce(NEW.start_date, OLD.start_date) IS NOT NULL THEN
		PERFORM job_enqueue('event_mail', jsonb_build_object(
		    'event_id', NEW.id, 'audience', 'all', 'calendar_seq',
		    NEW.calendar_seq),
		    'event_mail:' || NEW.id || ':c' || NEW.calendar_seq);
	END IF;
	RETURN NULL;
END $$;
