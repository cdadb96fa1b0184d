-- Jobs and their side effects survive crashes, retries and restarts.
--
-- Mail.  SMTP leaves a message with its sender until the server answers
-- the final dot, so a send whose worker died mid-conversation has almost
-- surely not been accepted.  Such a row (found "sending" by the job's next
-- attempt) is now sent again with the same Message-ID, which receivers
-- use to drop the rare duplicate: a candidate who never gets an
-- invitation is worse.  interrupted counts those resends and
-- last_interruption says what was known of the lost attempt; body_sent_at
-- is set when an attempt has handed over the whole message (from then
-- on the server may have accepted it).  The status "unknown" is no
-- longer given; the rows an older worker left so within the last week go
-- back to the queue.
ALTER TABLE mail_outbox
	ADD COLUMN interrupted integer NOT NULL DEFAULT 0,
	ADD COLUMN last_interruption text,
	ADD COLUMN body_sent_at timestamptz;

WITH revived AS (UPDATE mail_outbox SET status = 'failed',
	    interrupted = interrupted + 1, last_interruption = 'an earlier '
	    'attempt stopped while sending; sent again with the same Message-ID'
	WHERE status = 'unknown' AND created_at > now() - interval '7 days'
	RETURNING id)
INSERT INTO jobs (kind, args, unique_key)
	SELECT 'mail', json_build_object('outbox_id', id), 'mail:' || id
	FROM revived
	ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL
	    AND state IN ('available', 'running') DO NOTHING;

-- Rescoring.  The rescore job that last scored a registration: a retry of
-- the same job keeps previous_ats_score (the score from before that
-- rescore began) and skips the registrations it already did.
ALTER TABLE registrations ADD COLUMN rescored_by bigint;

-- Attempts.  NULL max_attempts means "the kind's limit" (the worker's
-- kind table, worker/jobs.c), written on the row when it is first
-- claimed; an enqueuer may still give its own.
ALTER TABLE jobs ALTER COLUMN max_attempts DROP NOT NULL,
	ALTER COLUMN max_attempts DROP DEFAULT;
