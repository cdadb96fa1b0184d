-- TURN capacity: at most TURN_LIMIT users hold credentials at once, each
-- slot lapsing TURN_EXPIRY seconds after it was last granted.  Kept here,
-- not in a process, so every FastCGI process sees the same slots.

CREATE TABLE turn_slots (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	granted_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX turn_slots_expiry_idx ON turn_slots (expires_at);

-- Grant (or renew) the caller's slot if the limit allows.  Allocation is
-- serialised by a transaction-scoped advisory lock, so concurrent callers
-- can never exceed the limit.  Returns granted, and when refused the
-- seconds until the earliest slot lapses.
CREATE FUNCTION turn_slot_acquire(p_user bigint, p_limit int, p_ttl int,
    OUT granted boolean, OUT retry_after int)
LANGUAGE plpgsql AS $$
DECLARE
	live int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('turn_slots'));
	DELETE FROM turn_slots WHERE expires_at <= now();
	UPDATE turn_slots SET granted_at = now(),
	    expires_at = now() + make_interval(secs => p_ttl)
	    WHERE user_id = p_user;
	IF FOUND THEN
		granted := true;
		RETURN;
	END IF;
	SELECT count(*) INTO live FROM turn_slots;
	IF live >= p_limit THEN
		granted := false;
		SELECT greatest(1, ceil(extract(epoch FROM min(expires_at) - now())))::int
		    INTO retry_after FROM turn_slots;
		RETURN;
	END IF;
	INSERT INTO turn_slots (user_id, expires_at)
	    VALUES (p_user, now() + make_interval(secs => p_ttl));
	granted := true;
END $$;
