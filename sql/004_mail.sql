-- The mail outbox: one row per message, unique by idem_key (for example
-- "candidate_invite:<registration>"), so a retried or re-enqueued job never
-- sends the same mail twice.  A row is pending, then sending while a
-- worker talks to the server, then sent or failed; a row found "sending"
-- by a later attempt (its worker died mid-send) becomes "unknown" and is
-- never sent again: at most once, never twice.

CREATE TABLE mail_outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	idem_key	text NOT NULL UNIQUE,
	template	text NOT NULL,
	to_addr		text NOT NULL,
	to_name		text NOT NULL DEFAULT '',
	vars		jsonb NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'sending', 'sent', 'failed',
			    'unknown')),
	attempts	integer NOT NULL DEFAULT 0,
	last_response	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
