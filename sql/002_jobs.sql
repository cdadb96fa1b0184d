-- The job queue (see DESIGN.md §6).  One "available" state covers ready,
-- delayed and retrying jobs (run_at says when); "running" jobs hold a
-- lease that the worker renews; a finished job is completed, discarded
-- (dead letter, last_error kept) or cancelled.

CREATE TYPE job_state AS ENUM ('available', 'running', 'completed',
	'cancelled', 'discarded');

CREATE TABLE jobs (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	queue		text NOT NULL DEFAULT 'default',
	kind		text NOT NULL,
	args		jsonb NOT NULL DEFAULT '{}',
	state		job_state NOT NULL DEFAULT 'available',
	priority	smallint NOT NULL DEFAULT 0,
	attempt		smallint NOT NULL DEFAULT 0,
	max_attempts	smallint NOT NULL DEFAULT 5,
	run_at		timestamptz NOT NULL DEFAULT now(),
	locked_by	text,
	locked_at	timestamptz,
	lease_until	timestamptz,
	cancel_requested_at timestamptz,
	last_error	text,
	errors		jsonb NOT NULL DEFAULT '[]',
	unique_key	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	finalized_at	timestamptz,
	CHECK ((state IN ('completed', 'cancelled', 'discarded')) =
	    (finalized_at IS NOT NULL)),
	CHECK ((state = 'running') =
	    (lease_until IS NOT NULL AND locked_by IS NOT NULL))
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);

CREATE INDEX jobs_fetch ON jobs (queue, priority, run_at, id)
	WHERE state = 'available';
CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_final ON jobs (finalized_at) WHERE finalized_at IS NOT NULL;
-- The same unique key cannot be waiting or running twice.
CREATE UNIQUE INDEX jobs_uniq ON jobs (unique_key)
	WHERE unique_key IS NOT NULL AND state IN ('available', 'running');

-- Wake the workers once per inserting statement; delivered at commit.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('job_available', '');
	RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
	FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();
