-- The audit log keeps no free text a person wrote about a candidate:
-- review and scorecard comments are logged as their SHA-256, so erasing
-- a candidate removes the words everywhere while the chain still shows
-- that, when and by whom they changed (and can prove a copy unchanged).
CREATE OR REPLACE FUNCTION audit_private(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN j ? 'comments' AND jsonb_typeof(j -> 'comments') = 'string'
    THEN jsonb_set(j, '{comments}', to_jsonb('sha256:' ||
	encode(sha256(convert_to(j ->> 'comments', 'UTF8')), 'hex')))
    ELSE j END
$$;

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	keys	text[] := TG_ARGV[1]::text[];
	o	jsonb;
	n	jsonb;
	d	record;
	r	jsonb;
	ev	bigint;
	reg	bigint;
BEGIN
	o := CASE WHEN TG_OP <> 'INSERT' THEN audit_private(to_jsonb(OLD)) END;
	n := CASE WHEN TG_OP <> 'DELETE' THEN audit_private(to_jsonb(NEW)) END;
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
