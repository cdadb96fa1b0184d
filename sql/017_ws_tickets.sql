-- Socket tickets: POST ws-ticket/ makes one; the socket URL carries it as
-- ?ticket= and the first handshake that shows it uses it up, so no
-- access token travels in a URL.  Only the SHA-256 of a ticket is kept.
CREATE TABLE ws_tickets (
	hash		text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	expires_at	timestamptz NOT NULL
);
CREATE INDEX ws_tickets_expires_idx ON ws_tickets (expires_at);
