/*
 * connectify-fcgi: private interfaces of the FastCGI program.
 */
#ifndef EXTERN_H
#define EXTERN_H

#include <sys/types.h>

#include <stddef.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "auth.h"
#include "buf.h"

struct route;

/* One query-string or form parameter, decoded. */
struct kv {
	char	*key;
	char	*val;
};

/*
 * A request, filled by req_parse() before the handler runs and freed by
 * req_free() after the one response was sent.
 */
struct req {
	FCGX_Request		*fr;
	const char		*method;	/* REQUEST_METHOD */
	char			 path[512];	/* DOCUMENT_URI, no trailing '/' */
	const char		*remote_addr;	/* REMOTE_ADDR or "" */
	char			 id[40];	/* X-Request-Id */
	struct kv		*qs;		/* query parameters */
	size_t			 nqs;
	char			*body;		/* NUL-terminated, or NULL */
	size_t			 bodylen;
	struct json_object	*json;		/* parsed body (owned) or NULL */
	const struct route	*route;
	struct claims		 who;		/* valid when authed */
	int			 authed;
	int			 status;	/* status sent, 0 before */
	long			 now;		/* time(NULL) at start */
	struct buf		*capture;	/* set: resp_text() appends the
						 * body here, sends nothing */
	char			*cache_key;	/* R_CACHE miss: store (owned) */
	unsigned long		 cache_gen;	/* cache generation at lookup */
	int			 synced;	/* db_sync() done (cache.c) */
	int			 sync_rc;
	int			 is_admin;	/* the organisation admin */
};

/* Route flags. */
#define R_AUTH		0x01	/* access token required */
#define R_HR		0x02	/* role Hr required */
#define R_STAFF		0x04	/* role Hr or Interviewer required */
#define R_JSON		0x08	/* body must be a JSON object */
#define R_INTERNAL	0x10	/* only from nginx's internal locations */
#define R_OPTAUTH	0x20	/* a token is read when present */
#define R_OPTJSON	0x40	/* a body, when present, is a JSON object */
#define R_PREFIX	0x80	/* path is a prefix: path + "/" + more */
#define R_CACHE		0x100	/* GET answer kept until the data changes */
#define R_ADMIN		0x200	/* the organisation admin (users.is_admin) */
#define R_IDEMP		0x400	/* creating POST: Idempotency-Key honoured */

typedef void (*handler_fn)(struct req *);

struct route {
	const char	*method;
	const char	*path;		/* exact, without trailing slash */
	int		 flags;
	handler_fn	 fn;
	const char	*name;		/* metrics label */
};

extern const struct route	routes[];
extern const size_t		nroutes;

/* route.c */
const struct route *route_find(const char *method, const char *path,
	    int *path_known);
void	route_dispatch(struct req *);

/* req.c */
int	req_parse(struct req *, FCGX_Request *, long maxbody);
void	req_free(struct req *);
const char *req_param(const struct req *, const char *);	/* FastCGI param */
const char *req_qs(const struct req *, const char *);		/* query value */
/* Parse the body as one JSON object (white space around it only) into
 * r->json: 0, or -1 with r->json NULL. */
int	req_json(struct req *);
/*
 * Read ?page=&page_size= (defaults 1 and 20, max page_size 100).  Returns
 * 0, or -1 after sending a 400.
 */
int	req_page(struct req *, long *page, long *size);

/* resp.c: each sends one response; json bodies are consumed (put). */
void	resp_json(struct req *, int status, struct json_object *);
void	resp_text(struct req *, int status, const char *ctype,
	    const char *body, size_t len, const char *extra_headers);
/* A streamed response: the head, then the body in pieces (resp_stream_put
 * returns -1 when the client went away). */
void	resp_stream_begin(struct req *, int status, const char *ctype,
	    const char *extra_headers);
int	resp_stream_put(struct req *, const char *, size_t);
/* Error document {"error":{"code","message","fields"?,"request_id"}};
 * fields (may be NULL) is consumed. */
void	resp_error(struct req *, int status, const char *code,
	    const char *msg, struct json_object *fields);
/* 429 with Retry-After: wait seconds. */
void	resp_rate_limited(struct req *, long wait, const char *msg);
/* 400 validation_failed with per-field errors (consumed). */
void	resp_invalid(struct req *, struct json_object *fields);
/* The right response for a db_rc that is not DB_OK (409/400/503/500). */
void	resp_db(struct req *, int rc);
/* {"count","next","previous","results"} for a page (results consumed). */
void	resp_page(struct req *, long count, long page, long size,
	    struct json_object *results);
/* The same with results already rendered as a JSON array (e.g. by
 * PostgreSQL's json_agg: the fast path for long lists). */
void	resp_page_raw(struct req *, long count, long page, long size,
	    const char *results);

/*
 * cache.c: answers of R_CACHE routes.  cache_answer() sends the kept
 * answer and returns 1, or returns 0 and marks the request so that
 * resp_text() hands its 200 body to cache_store().  cache_clear() frees
 * every entry.
 */
int	cache_answer(struct req *);
/* The token in r->who is still good: its account exists, is active, has
 * that role and token version.  0; -1 (why set) when it is not; -2 when
 * the database could not tell (*dbrc: its db_rc).  Sets r->is_admin. */
int	cache_account(struct req *, const char **why, int *dbrc);
void	cache_store(struct req *, int status, const char *body, size_t len);
void	cache_clear(void);

/* metrics.c: counters shared by all processes of the pool. */
int	metrics_init(size_t nroutes);
void	metrics_observe(size_t route, int status, double seconds);
void	metrics_set_pool(long configured, long alive);
/* Pool state of this process: idle (waiting for a request), begin (in a
 * request; counts "max reached" when every process is busy), end (back
 * to idle; counts a slow request). */
void	metrics_idle(void);
void	metrics_begin(void);
void	metrics_end(double seconds);
/* For the supervisor (prefork's idle()): processes idle, and in *pick
 * one idle for at least secs (or 0). */
long	metrics_idle_pick(void *, long secs, pid_t *pick);
/* The pool's listening socket, whose accept queue /metrics shows. */
void	metrics_set_listen(int fd);

/* listenq.c: connections waiting to be accepted on fd, and the queue's
 * length: 0, or -1 when the kernel does not tell. */
int	listenq_read(int fd, long *queued, long *max);
void	metrics_cache(int hit);
void	metrics_nchan(long status);
void	metrics_render(struct buf *);

/* Handlers, one file per resource. */
void	h_healthz(struct req *);
void	h_suggest_skills(struct req *);	/* h_skills.c */
void	h_metrics(struct req *);
void	h_signup(struct req *);
void	h_send_otp(struct req *);
void	h_verify_otp(struct req *);
void	h_token_refresh(struct req *);
void	h_logout(struct req *);
void	h_user_data(struct req *);
void	h_fetch_user(struct req *);
void	h_fetch_user_patch(struct req *);
void	h_register_interviewer(struct req *);
void	h_me(struct req *);
void	h_ws_auth(struct req *);
void	h_ws_ticket(struct req *);

/* events, registrations, analytics */
struct storage;
struct upload {
	const char	*file_name;	/* borrowed from the request */
	unsigned char	*data;		/* decoded bytes (owned) */
	size_t		 len;
	char		 key[96];	/* storage key when stored */
	const char	*error;		/* static reason, or NULL when good */
	long		 track_id;	/* after uploads_record() */
};
struct storage *app_storage(void);
/* Decode, check (PDF, size) and store each {file_name, content_base64}
 * of list; per-file reasons in ->error.  Caller frees with uploads_free. */
int	uploads_prepare(struct req *, struct json_object *list,
	    struct upload **, size_t *);
/* In the caller's transaction: a track row and a "resume" job per good
 * file.  DB_OK or the error. */
int	uploads_record(struct upload *, size_t, long event_id, long uploader,
	    long user_id, long reg_id);
struct json_object *uploads_json(const struct upload *, size_t);
size_t	uploads_good(const struct upload *, size_t);
/* After the caller's transaction rolled back: delete what was stored
 * and no row names. */
void	uploads_discard(struct upload *, size_t);
void	uploads_free(struct upload *, size_t);
/* Who the caller is to an event: EV_NONE after a 404 was sent. */
enum ev_role { EV_NONE, EV_OWNER, EV_INTERVIEWER, EV_CANDIDATE, EV_OTHER };
enum ev_role event_role(struct req *, long event_id, char *status,
	    size_t statussz);
enum ev_role registration_role(struct req *, long registration_id);
/* Read a required positive id from the query string: 0 after a 400. */
long	req_id_qs(struct req *, const char *name);
void	h_event_create(struct req *);
void	h_event_list(struct req *);
void	h_event_patch(struct req *);
void	h_event_detail(struct req *);
void	h_event_resumes(struct req *);
void	h_event_rescore(struct req *);
void	h_event_owner_add(struct req *);
void	h_event_owner_remove(struct req *);
void	h_skills_list(struct req *);
void	h_skills_create(struct req *);
void	h_departments_list(struct req *);
void	h_departments_create(struct req *);
void	h_event_register(struct req *);
void	h_register_user(struct req *);
void	h_application_count(struct req *);
void	h_user_event_data(struct req *);
void	h_modified_shortlisted(struct req *);
void	h_all_selected(struct req *);
void	h_assessment_questions(struct req *);
void	h_resume_tracks(struct req *);
void	h_file(struct req *);
void	h_stats_department(struct req *);
void	h_stats_status(struct req *);
void	h_send_event_mail(struct req *);

/* interview day */
void	h_mapping_create(struct req *);
void	h_mapping_get(struct req *);
void	h_mapping_patch(struct req *);
void	h_zoom_attendance(struct req *);
void	h_interviewee_join(struct req *);
void	h_zoom_joined(struct req *);
void	h_candidate_review(struct req *);
void	h_candidate_review_get(struct req *);
void	h_chat_get(struct req *);
void	h_chat_post(struct req *);
void	h_interview_action(struct req *);

/* video calls */
void	h_zoom_signature(struct req *);
void	h_turn_credentials(struct req *);
void	h_turn_disconnect(struct req *);
void	h_call_signal(struct req *);

/* mail */

/* hiring decisions (h_audit.c, ...) */
void	h_audit_get(struct req *);
void	h_rubric_get(struct req *);
void	h_rubric_create(struct req *);
void	h_rubric_patch(struct req *);
void	h_scorecards_get(struct req *);
void	h_scorecard_post(struct req *);
void	h_scorecard_decide(struct req *);
void	h_blind_get(struct req *);
void	h_blind_set(struct req *);
void	h_duplicates_get(struct req *);
void	h_duplicates_post(struct req *);
void	h_selfid_get(struct req *);
void	h_selfid_post(struct req *);
void	h_impact_get(struct req *);
/* connectify-fcgi --verify-audit: 0 (intact) or 1 (first break named). */
int	audit_verify(void);
/* candidates' rights and HR's data */
void	h_export(struct req *);
void	h_webhook_create(struct req *);
void	h_webhook_list(struct req *);
void	h_webhook_disable(struct req *);
void	h_webhook_deliveries(struct req *);
void	h_webhook_replay(struct req *);
void	h_status(struct req *);
void	h_status_link(struct req *);
void	h_status_link_revoke(struct req *);
void	h_consent(struct req *);
void	h_me_export(struct req *);
void	h_me_delete(struct req *);
void	h_candidate_erase(struct req *);

/* connectify-fcgi --create-hr: 0 or -1. */
int	create_hr(const char *name, const char *phone, const char *email);

/* Shared by handlers: the user row of USER_COLS as JSON. */
struct json_object *user_json(const void *pgresult, int row);

#endif /* EXTERN_H */
