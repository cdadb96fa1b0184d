-- Which rows name a stored resume: download checks (FILE_ACCESS) and the
-- deletion of objects an upload left behind when its transaction rolled
-- back (fcgi/uploads.c) look keys up.
CREATE INDEX resume_tracks_key_idx ON resume_tracks (storage_key);
CREATE INDEX registrations_resume_key_idx ON registrations (resume_key)
	WHERE resume_key IS NOT NULL;
