-- Ranking without ties: candidates with the same one-decimal score are
-- ordered by the scorer's exact score, then by the strength of their
-- required-skill evidence (ats_result's score_exact and tie_break), then
-- by id; the list reads the order straight from this index.
ALTER TABLE registrations
	ADD COLUMN ats_exact numeric GENERATED ALWAYS AS
	    (CASE WHEN jsonb_typeof(ats_result->'score_exact') = 'number'
	     THEN (ats_result->>'score_exact')::numeric END) STORED,
	ADD COLUMN ats_tie numeric GENERATED ALWAYS AS
	    (CASE WHEN jsonb_typeof(ats_result->'tie_break') = 'number'
	     THEN (ats_result->>'tie_break')::numeric END) STORED;
CREATE INDEX registrations_event_rank ON registrations
	(event_id, ats_score DESC NULLS LAST, ats_exact DESC NULLS LAST,
	 ats_tie DESC NULLS LAST, id);
