-- Accounts, one-time passwords and refresh tokens.

CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username	text NOT NULL UNIQUE
			CHECK (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	email		text NOT NULL CHECK (length(email) <= 254),
	phone_number	text NOT NULL UNIQUE,
	user_type	text NOT NULL
			CHECK (user_type IN ('Hr', 'Interviewer', 'Interviewee')),
	is_active	boolean NOT NULL DEFAULT true,
	date_joined	timestamptz NOT NULL DEFAULT now(),
	last_login	timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_type_idx ON users (user_type, id);

-- One row per code sent.  Only the HMAC of the code is kept; a code is
-- usable while consumed_at is NULL, expires_at is ahead and attempts is
-- under the limit.  Rows also serve as the rate-limit ledger.
CREATE TABLE otps (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	phone_number	text NOT NULL,
	code_hash	text NOT NULL,
	request_ip	text NOT NULL DEFAULT '',
	attempts	integer NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	consumed_at	timestamptz
);
CREATE INDEX otps_phone_idx ON otps (phone_number, created_at DESC);
CREATE INDEX otps_ip_idx ON otps (request_ip, created_at);

-- Refresh tokens rotate: each use revokes the row and inserts its
-- successor in the same family.  Presenting a revoked token revokes the
-- whole family (the token was stolen or replayed).
CREATE TABLE refresh_tokens (
	jti		uuid PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	family		uuid NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	replaced_by	uuid
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
