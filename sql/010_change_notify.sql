-- Every table the FastCGI processes answer lists from announces a change:
-- one NOTIFY connectify_changed per writing transaction (PostgreSQL folds
-- identical notifications of a transaction into one), delivered after
-- commit.  The processes LISTEN and drop their cached answers on it
-- (fcgi/cache.c).

CREATE FUNCTION notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('connectify_changed', '');
	RETURN NULL;
END $$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'departments', 'skills', 'events',
	    'event_skills', 'rounds', 'round_interviewers', 'questions',
	    'resume_tracks', 'registrations', 'interview_queue', 'reviews',
	    'attendance', 'chat_messages']
	LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE '
		    'FUNCTION notify_changed()', t || '_changed', t);
	END LOOP;
END $$;
