-- turn_slot_acquire also says whether the caller already held a slot, so
-- a provider failure gives back only a slot granted for that request.
DROP FUNCTION turn_slot_acquire(bigint, int, int);
CREATE FUNCTION turn_slot_acquire(p_user bigint, p_limit int, p_ttl int,
    OUT granted boolean, OUT retry_after int, OUT renewed boolean)
LANGUAGE plpgsql AS $$
DECLARE
	live int;
BEGIN
	renewed := false;
	PERFORM pg_advisory_xact_lock(hashtext('turn_slots'));
	DELETE FROM turn_slots WHERE expires_at <= now();
	UPDATE turn_slots SET granted_at = now(),
	    expires_at = now() + make_interval(secs => p_ttl)
	    WHERE user_id = p_user;
	IF FOUND THEN
		granted := true;
		renewed := true;
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
