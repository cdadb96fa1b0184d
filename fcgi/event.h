/*
 * event: an event's job details as POST event (h_events.c) and PATCH
 * event (h_event_change.c) take them (event.c).
 */
#ifndef EVENT_H
#define EVENT_H

struct json_object;
struct req;

#define MAX_ROUNDS	20	/* rounds of an event */
#define MAX_RESUMES	500	/* resumes of one request */

/* An event's statuses (FT_ENUM values). */
extern const char *const event_statuses[];

/* The job details a request gives, from its declared fields. */
struct event_fields {
	const char		*title;		/* NULL: not given */
	const char		*desc;
	const char		*loc;
	const char		*etype;
	const char		*status;	/* canonical spelling */
	const char		*sdate;		/* NULL: none */
	const char		*edate;
	struct json_object	*req_s;		/* borrowed; NULL: not given */
	struct json_object	*pref_s;
	struct json_object	*rounds;	/* borrowed; NULL: not given */
	double			 minx;
	double			 maxx;		/* < 0: no upper bound */
	long			 openings;
	int			 has_min;	/* given (JSON null clears */
	int			 has_max;	/* max_experience and dates */
	int			 has_open;	/* where the route takes it) */
	int			 has_show;	/* show_scores given */
	int			 show;		/* candidates see scores */
	int			 has_sdate;
	int			 has_edate;
};

/* Field checks (struct field's check) of skills {required, preferred}
 * and of each round {name, interviewers, questions}. */
void	event_skills_check(const char *, struct json_object *,
	    struct json_object *errs);
void	event_rounds_check(const char *, struct json_object *,
	    struct json_object *errs);
/* The request's job details into f (the route declares every member). */
void	event_fields_read(const struct req *, struct event_fields *f);
/*
 * min_experience <= max_experience and start_date <= end_date on the
 * values the event will have (maxx < 0 and NULL dates: none); an error
 * names the member f gives.
 */
void	event_fields_check(const struct event_fields *f, double minx,
	    double maxx, const char *sdate, const char *edate,
	    struct json_object *errs);
/* Every interviewer of rounds (checked) is active staff: 0, or -1 with
 * the error in errs or a database error in *rc. */
int	event_staff_check(struct json_object *rounds, struct json_object *errs,
	    int *rc);
/* In the caller's transaction, for event ev: skills of one kind (req
 * "t" or "f"); rounds with their interviewers and questions, each round
 * added to out as {round_id, position, name}.  DB_OK or the error. */
int	event_skills_insert(const char *ev, struct json_object *list,
	    const char *req);
int	event_rounds_insert(const char *ev, struct json_object *rounds,
	    struct json_object *out);

#endif /* EVENT_H */
