-- Hiring events: departments, skills, events with rounds, interviewers and
-- questions; resumes and their processing tracks; registrations with ATS
-- results; the interview queue (the original's "zoom mapping"), reviews,
-- attendance and HR-candidate chat.

CREATE TABLE departments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_name_key ON departments (lower(name));

CREATE TABLE skills (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX skills_name_key ON skills (lower(name));

CREATE TABLE events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	department_id	bigint NOT NULL REFERENCES departments,
	description	text NOT NULL DEFAULT '',
	min_experience	numeric(4,1) NOT NULL DEFAULT 0 CHECK (min_experience >= 0),
	max_experience	numeric(4,1) CHECK (max_experience >= min_experience),
	location	text NOT NULL DEFAULT '',
	employment_type	text NOT NULL DEFAULT 'Full-time',
	openings	integer NOT NULL DEFAULT 1 CHECK (openings > 0),
	start_date	date,
	end_date	date CHECK (end_date >= start_date),
	status		text NOT NULL DEFAULT 'Pending'
			CHECK (status IN ('Pending', 'Active', 'Inactive')),
	created_by	bigint NOT NULL REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_status_idx ON events (status, id);
CREATE INDEX events_created_idx ON events (created_at);

-- required and preferred skills of an event
CREATE TABLE event_skills (
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills,
	required	boolean NOT NULL,
	PRIMARY KEY (event_id, skill_id)
);

CREATE TABLE rounds (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	position	integer NOT NULL CHECK (position >= 1),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	UNIQUE (event_id, position)
);

CREATE TABLE round_interviewers (
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users,
	PRIMARY KEY (round_id, user_id)
);
CREATE INDEX round_interviewers_user_idx ON round_interviewers (user_id);

CREATE TABLE questions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	position	integer NOT NULL,
	text		text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
	UNIQUE (round_id, position)
);

-- One row per uploaded file: where it is, and how far processing got.
CREATE TABLE resume_tracks (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	file_name	text NOT NULL,
	storage_key	text NOT NULL,
	size_bytes	integer NOT NULL,
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'parsing', 'scored', 'failed')),
	error		text,
	user_id		bigint REFERENCES users,
	registration_id	bigint,
	uploaded_by	bigint REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resume_tracks_event_idx ON resume_tracks (event_id, id);

CREATE TABLE registrations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users,
	status		text NOT NULL DEFAULT 'applied'
			CHECK (status IN ('applied', 'shortlisted', 'interviewing',
			    'rejected', 'selected', 'withdrawn')),
	current_round_id bigint REFERENCES rounds,
	shortlisted	boolean NOT NULL DEFAULT false,
	resume_key	text,
	ats_score	numeric(5,2) CHECK (ats_score BETWEEN 0 AND 100),
	ats_result	jsonb,
	previous_ats_score numeric(5,2),
	scorer		text,
	scorer_version	text,
	scored_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (event_id, user_id)
);
CREATE INDEX registrations_event_score_idx ON registrations
	(event_id, ats_score DESC NULLS LAST, id);
CREATE INDEX registrations_user_idx ON registrations (user_id);
CREATE INDEX registrations_created_idx ON registrations (created_at);
ALTER TABLE resume_tracks ADD FOREIGN KEY (registration_id)
	REFERENCES registrations ON DELETE SET NULL;

-- Who waits for which interviewer in a round, in order.
CREATE TABLE interview_queue (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	registration_id	bigint NOT NULL REFERENCES registrations ON DELETE CASCADE,
	interviewer_id	bigint NOT NULL REFERENCES users,
	position	integer NOT NULL,
	status		text NOT NULL DEFAULT 'waiting'
			CHECK (status IN ('waiting', 'called', 'in_progress',
			    'done', 'left', 'rejected')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (round_id, registration_id)
);
CREATE INDEX interview_queue_interviewer_idx ON interview_queue
	(interviewer_id, round_id, status, position);

CREATE TABLE reviews (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	registration_id	bigint NOT NULL REFERENCES registrations ON DELETE CASCADE,
	round_id	bigint NOT NULL REFERENCES rounds ON DELETE CASCADE,
	interviewer_id	bigint NOT NULL REFERENCES users,
	rating		smallint CHECK (rating BETWEEN 1 AND 5),
	ratings		jsonb NOT NULL DEFAULT '[]',
	comments	text NOT NULL DEFAULT '',
	result		text NOT NULL CHECK (result IN ('pass', 'fail')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (registration_id, round_id)
);

CREATE TABLE attendance (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	round_id	bigint REFERENCES rounds ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users,
	role		text NOT NULL CHECK (role IN ('Interviewer', 'Interviewee')),
	joined_at	timestamptz NOT NULL DEFAULT now(),
	left_at		timestamptz CHECK (left_at >= joined_at)
);
CREATE INDEX attendance_event_idx ON attendance (event_id, round_id, user_id);

CREATE TABLE chat_messages (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES events ON DELETE CASCADE,
	candidate_id	bigint NOT NULL REFERENCES users,
	sender_id	bigint NOT NULL REFERENCES users,
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_thread_idx ON chat_messages (event_id, candidate_id, id);
