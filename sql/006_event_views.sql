-- JSON renderings of an event and of a registration, as the API shows
-- them; handlers select these instead of assembling rows in C.

CREATE FUNCTION event_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object(
	'event_id', e.id, 'title', e.title, 'department', d.name,
	'description', e.description,
	'skills', json_build_object(
		'required', coalesce((SELECT json_agg(s.name ORDER BY s.name)
		    FROM event_skills es JOIN skills s ON s.id = es.skill_id
		    WHERE es.event_id = e.id AND es.required), '[]'),
		'preferred', coalesce((SELECT json_agg(s.name ORDER BY s.name)
		    FROM event_skills es JOIN skills s ON s.id = es.skill_id
		    WHERE es.event_id = e.id AND NOT es.required), '[]')),
	'min_experience', e.min_experience, 'max_experience', e.max_experience,
	'location', e.location, 'employment_type', e.employment_type,
	'openings', e.openings, 'start_date', e.start_date,
	'end_date', e.end_date, 'status', e.status, 'created_by', e.created_by,
	'created_at', to_char(e.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'rounds', coalesce((SELECT json_agg(json_build_object(
		'round_id', ro.id, 'position', ro.position, 'name', ro.name,
		'interviewers', coalesce((SELECT json_agg(json_build_object(
		    'id', u.id, 'name', u.name, 'username', u.username)
		    ORDER BY u.id) FROM round_interviewers ri
		    JOIN users u ON u.id = ri.user_id
		    WHERE ri.round_id = ro.id), '[]'),
		'questions', coalesce((SELECT json_agg(json_build_object(
		    'question_id', q.id, 'text', q.text) ORDER BY q.position)
		    FROM questions q WHERE q.round_id = ro.id), '[]'))
	    ORDER BY ro.position) FROM rounds ro WHERE ro.event_id = e.id), '[]'))
FROM events e JOIN departments d ON d.id = e.department_id
WHERE e.id = p_id
$$;

CREATE FUNCTION registration_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
SELECT json_build_object(
	'registration_id', g.id, 'event_id', g.event_id,
	'user', json_build_object('id', u.id, 'name', u.name,
	    'username', u.username, 'email', u.email,
	    'phone_number', u.phone_number),
	'status', g.status, 'shortlisted', g.shortlisted,
	'current_round_id', g.current_round_id,
	'ats_score', g.ats_score, 'previous_ats_score', g.previous_ats_score,
	'scorer', g.scorer, 'ats_result', g.ats_result,
	'resume_key', g.resume_key,
	'created_at', to_char(g.created_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
FROM registrations g JOIN users u ON u.id = g.user_id
WHERE g.id = p_id
$$;
