-- Exact user counts by type and state, kept by statement-level triggers,
-- so paginated user lists need not count thousands of rows per request.

CREATE TABLE user_counts (
	user_type	text NOT NULL,
	is_active	boolean NOT NULL,
	n		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (user_type, is_active)
);

INSERT INTO user_counts (user_type, is_active, n)
	SELECT user_type, is_active, count(*) FROM users
	GROUP BY user_type, is_active;

CREATE FUNCTION user_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE user_counts c SET n = c.n - o.k
		FROM (SELECT user_type, is_active, count(*) AS k FROM old_rows
		    GROUP BY 1, 2) o
		WHERE c.user_type = o.user_type AND c.is_active = o.is_active;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		INSERT INTO user_counts AS c (user_type, is_active, n)
		SELECT user_type, is_active, count(*) FROM new_rows GROUP BY 1, 2
		ON CONFLICT (user_type, is_active) DO UPDATE SET n = c.n + excluded.n;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER user_counts_ins AFTER INSERT ON users
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER user_counts_upd AFTER UPDATE ON users
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER user_counts_del AFTER DELETE ON users
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
