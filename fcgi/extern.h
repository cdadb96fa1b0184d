/*
 * connectify-fcgi: private interfaces of the FastCGI program.
 */
#ifndef EXTERN_H
#define EXTERN_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>
#include <time.h>

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
 * A declared field of a route (query parameter or body member), checked
 * by the dispatcher before the handler runs: every failing field gets its
 * message in one 400, and the handler reads typed values (req_long() and
 * friends).  Types are strict: a JSON string where an integer is declared
 * is refused.  A query value is text: FT_ID and FT_INT parse it as a
 * decimal integer, FT_BOOL takes 0/1/true/false.
 */
enum ftype {
	FT_ID,		/* integer 1..2^62 */
	FT_INT,		/* integer in [min, max] */
	FT_NUM,		/* number in [min, max] */
	FT_BOOL,	/* true or false */
	FT_STR,		/* one line, [min, max] bytes of UTF-8 */
	FT_TEXT,	/* multi-line text (\n, \r, \t allowed) */
	FT_DATE,	/* "YYYY-MM-DD", a real date */
	FT_ENUM,	/* one of values, case-insensitive; the canonical
			 * spelling is what the handler reads */
	FT_ARRAY,	/* array of at most max items (min: at least) */
	FT_OBJECT,	/* JSON object */
	FT_ANY		/* any JSON value; check() decides */
};

#define F_REQ	0x01	/* must be present (and not null) */
#define F_QUERY	0x02	/* from the query string, else the JSON body */
#define F_NULL	0x04	/* JSON null accepted (req_null() tells) */

struct field {
	const char		*name;
	enum ftype		 type;
	int			 flags;
	long			 min, max;
	const char *const	*values;	/* FT_ENUM, NULL-terminated */
	/* After the type's check: record errors in errs under name (or
	 * under "name.sub" paths) for a present, non-null value. */
	void			(*check)(const char *name,
				    struct json_object *,
				    struct json_object *errs);
};
#define FIELDS_END	{ NULL, 0, 0, 0, 0, NULL, NULL }
/* page and page_size of a paged list (req_page()). */
#define F_PAGE \
	{ "page", FT_INT, F_QUERY, 1, 1000000, NULL, NULL }, \
	{ "page_size", FT_INT, F_QUERY, 1, 100, NULL, NULL }
#define FIELDS_MAX	32

/* A checked field's value. */
struct value {
	int			 present;	/* given and not null */
	int			 null;		/* given as JSON null */
	long			 l;		/* FT_ID, FT_INT, FT_BOOL */
	double			 d;		/* FT_NUM */
	const char		*s;		/* FT_STR, FT_TEXT, FT_DATE,
						 * FT_ENUM (canonical) */
	struct json_object	*o;		/* the JSON value (borrowed) */
};

/*
 * A request, filled by req_parse() before the handler runs and freed by
 * req_free() after the one response was sent.
 */
struct req {
	FCGX_Request		*fr;
	const char		*method;	/* REQUEST_METHOD */
	char			 path[512];	/* DOCUMENT_URI, no final '/' */
	const char		*remote_addr;	/* REMOTE_ADDR or "" */
	char			 id[40];	/* X-Request-Id */
	struct kv		*qs;		/* query parameters */
	size_t			 nqs;
	char			*body;		/* NUL-terminated, or NULL */
	size_t			 bodylen;
	struct json_object	*json;		/* parsed body (owned), NULL */
	const struct route	*route;
	struct value		 vals[FIELDS_MAX]; /* route->fields' values */
	struct claims		 who;		/* valid when authed */
	int			 authed;
	long			 now;		/* time(NULL) at start */
	struct timespec		 t0;		/* CLOCK_MONOTONIC at start */
	int			 synced;	/* db_sync() done (cache.c) */
	int			 sync_rc;
	int			 is_admin;	/* the organisation admin */
};

/*
 * A handler's answer.  Handlers fill it with the reply_*() functions;
 * route_dispatch() alone sends it, keeps it for the list cache and the
 * Idempotency-Key, logs and counts it.  The first reply_*() call wins;
 * a second is logged and dropped.
 */
struct sink;
struct reply {
	int		 status;	/* 0 until a reply is set */
	const char	*ctype;		/* static or literal */
	struct buf	 head;		/* extra header lines, "\r\n" each */
	struct buf	 body;
	const char	*rid;		/* request id, for error documents */
	/* A streamed body (reply_stream): after the head, the dispatcher
	 * calls stream(arg, sink) once, then arg_free(arg). */
	int		(*stream)(void *, struct sink *);
	void		*arg;
	void		(*arg_free)(void *);
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

typedef void (*handler_fn)(struct req *, struct reply *);

struct route {
	const char		*method;
	const char		*path;	/* exact, without trailing slash */
	int			 flags;
	handler_fn		 fn;
	const char		*name;	/* metrics label */
	const struct field	*fields; /* NULL: none declared */
};

extern const struct route	routes[];
extern const size_t		nroutes;

/* route.c */
const struct route *route_find(const char *method, const char *path,
	    int *path_known);
/* dispatch.c: answer r (parsed: req_parse's result): the only place that
 * writes to the client, keeps answers, logs and counts them. */
void	route_dispatch(struct req *, int parsed);

/* idem.c: an R_IDEMP request with an Idempotency-Key.  idem_claim: 1 when
 * this request holds the key and its handler is to run (then idem_keep
 * keeps its answer), 0 when rp holds the answer (the first one again, or
 * a refusal). */
int	idem_claim(struct req *, struct reply *, const char *key);
void	idem_keep(struct req *, struct reply *, const char *key);
/* connectify-fcgi --routes: the route table and its declared fields as
 * JSON (for tests, documentation and clients). */
void	route_print(FILE *);

/* req.c */
int	req_parse(struct req *, FCGX_Request *, long maxbody);
void	req_free(struct req *);
/* A FastCGI parameter; a query string value (fields.c reads them). */
const char *req_param(const struct req *, const char *);
const char *req_qs(const struct req *, const char *);
/* Parse the body as one JSON object (white space around it only) into
 * r->json: 0, or -1 with r->json NULL. */
int	req_json(struct req *);

/* fields.c: the route's declared fields.  fields_check() fills r->vals
 * and returns NULL, or the errors by field name (caller owns). */
struct json_object *fields_check(struct req *);
/* Typed values of declared fields (a name the route does not declare is
 * a programming error: abort()).  Absent: 0, NULL. */
int	req_has(const struct req *, const char *);	/* present, not null */
int	req_null(const struct req *, const char *);	/* given as null */
long	req_long(const struct req *, const char *);
double	req_num(const struct req *, const char *);
int	req_bool(const struct req *, const char *);
const char *req_str(const struct req *, const char *);
struct json_object *req_obj(const struct req *, const char *);

/* One page of a list: page and page_size (F_PAGE, defaults 1 and 20),
 * and the LIMIT and OFFSET statement parameters they make. */
struct page {
	long	 page;
	long	 size;
	char	 limit[24];
	char	 offset[24];
};
void	req_page(const struct req *, struct page *);

/* reply.c: fill a reply; json bodies are consumed (put). */
void	reply_text(struct reply *, int status, const char *ctype,
	    const char *body, size_t len, const char *extra_headers);
void	reply_json(struct reply *, int status, struct json_object *);
/* Error document {"error":{"code","message","fields"?,"request_id"}};
 * fields (may be NULL) is consumed. */
void	reply_error(struct reply *, int status, const char *code,
	    const char *msg, struct json_object *fields);
/* 429 with Retry-After: wait seconds. */
void	reply_rate_limited(struct reply *, long wait, const char *msg);
/* 400 validation_failed with per-field errors (consumed). */
void	reply_invalid(struct reply *, struct json_object *fields);
/* The right reply for a db_rc that is not DB_OK (409/400/503/500). */
void	reply_db(struct reply *, int rc);
/* {"count","next","previous","results"} for page pg of the list r asked
 * for: results as JSON (consumed) or already rendered as a JSON array
 * (e.g. by PostgreSQL's json_agg: the fast path for long lists). */
void	reply_page(struct reply *, const struct req *, long count,
	    const struct page *, struct json_object *results);
void	reply_page_raw(struct reply *, const struct req *, long count,
	    const struct page *, const char *results);
/*
 * A body sent in pieces (no Content-Length; nginx frames it): the
 * dispatcher sends the head, calls fn(arg, sink) once, then afree(arg)
 * (afree may be NULL).  Not for R_CACHE or R_IDEMP routes.
 */
void	reply_stream(struct reply *, int status, const char *ctype,
	    const char *extra_headers, int (*fn)(void *, struct sink *),
	    void *arg, void (*afree)(void *));
/* For a stream function: send len bytes; -1 when the client went away. */
int	sink_put(struct sink *, const char *, size_t);
void	reply_free(struct reply *);
/* The reason phrase of an HTTP status ("Unknown" for others). */
const char *http_reason(int status);

/*
 * cache.c: answers of R_CACHE routes.  cache_lookup() finds the kept
 * answer of this request (body and length borrowed until the next call)
 * and returns 1, or returns 0 and remembers the request's key so that
 * cache_store() can keep its 200 answer.  cache_clear() frees every
 * entry.
 */
int	cache_lookup(struct req *, const char **body, size_t *len);
void	cache_store(struct req *, const struct reply *);
void	cache_forget(void);
/* The token in r->who is still good: its account exists, is active, has
 * that role and token version.  0; -1 (why set) when it is not; -2 when
 * the database could not tell (*dbrc: its db_rc).  Sets r->is_admin. */
int	cache_account(struct req *, const char **why, int *dbrc);
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
/* A lookup of the list cache (hit or miss); a request to nchan's
 * publisher and its status (nchan_observe()). */
void	metrics_cache(int hit);
void	metrics_nchan(long status);
/* Every counter as Prometheus text, appended to b (GET /metrics). */
void	metrics_render(struct buf *);

/* listenq.c: connections waiting to be accepted on fd, and the queue's
 * length: 0, or -1 when the kernel does not tell. */
int	listenq_read(int fd, long *queued, long *max);

/* Handlers, one file per resource, each with the fields it declares
 * (route.c's table names them). */
void	h_healthz(struct req *, struct reply *);
extern const struct field f_healthz[];
void	h_metrics(struct req *, struct reply *);
extern const struct field f_metrics[];
/* accounts (h_auth.c) */
extern const struct field f_signup[];
void	h_signup(struct req *, struct reply *);
extern const struct field f_send_otp[];
void	h_send_otp(struct req *, struct reply *);
extern const struct field f_verify_otp[];
void	h_verify_otp(struct req *, struct reply *);
extern const struct field f_token_refresh[];
void	h_token_refresh(struct req *, struct reply *);
extern const struct field f_logout[];
void	h_logout(struct req *, struct reply *);
/* users (h_users.c) */
extern const struct field f_me[];
void	h_me(struct req *, struct reply *);
extern const struct field f_user_data[];
void	h_user_data(struct req *, struct reply *);
extern const struct field f_fetch_user[];
void	h_fetch_user(struct req *, struct reply *);
extern const struct field f_fetch_user_patch[];
void	h_fetch_user_patch(struct req *, struct reply *);
extern const struct field f_register_interviewer[];
void	h_register_interviewer(struct req *, struct reply *);
void	h_ws_auth(struct req *, struct reply *);
extern const struct field f_ws_auth[];
void	h_ws_ticket(struct req *, struct reply *);
extern const struct field f_ws_ticket[];

/* events, registrations, analytics */
/* uploads.c */
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
/* access.c: who the caller is to an event or a registration; EV_NONE
 * after a 404 or a database error was answered. */
enum ev_role { EV_NONE, EV_OWNER, EV_INTERVIEWER, EV_CANDIDATE, EV_OTHER };
enum ev_role event_role(struct req *, struct reply *, long event_id,
	    char *status, size_t statussz);
enum ev_role registration_role(struct req *, struct reply *,
	    long registration_id);
/* h_events.c */
extern const struct field f_event_create[];
void	h_event_create(struct req *, struct reply *);
extern const struct field f_event_list[];
void	h_event_list(struct req *, struct reply *);
extern const struct field f_event_detail[];
void	h_event_detail(struct req *, struct reply *);
extern const struct field f_event_resumes[];
void	h_event_resumes(struct req *, struct reply *);
/* h_event_change.c */
extern const struct field f_event_patch[];
void	h_event_patch(struct req *, struct reply *);
extern const struct field f_event_rescore[];
void	h_event_rescore(struct req *, struct reply *);
extern const struct field f_event_owner[];
void	h_event_owner_add(struct req *, struct reply *);
void	h_event_owner_remove(struct req *, struct reply *);
/* h_catalog.c */
extern const struct field f_skills_list[];
void	h_skills_list(struct req *, struct reply *);
extern const struct field f_skills_create[];
void	h_skills_create(struct req *, struct reply *);
extern const struct field f_departments_list[];
void	h_departments_list(struct req *, struct reply *);
extern const struct field f_departments_create[];
void	h_departments_create(struct req *, struct reply *);
extern const struct field f_suggest_skills[];
void	h_suggest_skills(struct req *, struct reply *);
/* registrations (h_registrations.c) */
extern const struct field f_event_register[];
void	h_event_register(struct req *, struct reply *);
extern const struct field f_register_user[];
void	h_register_user(struct req *, struct reply *);
extern const struct field f_user_event_data[];
void	h_user_event_data(struct req *, struct reply *);
extern const struct field f_modified_shortlisted[];
void	h_modified_shortlisted(struct req *, struct reply *);
extern const struct field f_all_selected_users[];
void	h_all_selected(struct req *, struct reply *);
extern const struct field f_assessment_questions[];
void	h_assessment_questions(struct req *, struct reply *);
extern const struct field f_resume_processing_track[];
void	h_resume_tracks(struct req *, struct reply *);
extern const struct field f_files[];
void	h_file(struct req *, struct reply *);
/* the HR dashboard's counts (h_stats.c) */
extern const struct field f_application_count[];
void	h_application_count(struct req *, struct reply *);
extern const struct field f_application_by_department[];
void	h_stats_department(struct req *, struct reply *);
extern const struct field f_job_application_status[];
void	h_stats_status(struct req *, struct reply *);

/* interview day (h_queues.c, h_actions.c, h_reviews.c, h_attend.c,
 * h_chat.c) */
extern const struct field f_zoom_mapping_create[];
void	h_mapping_create(struct req *, struct reply *);
extern const struct field f_zoom_mapping[];
void	h_mapping_get(struct req *, struct reply *);
extern const struct field f_zoom_mapping_patch[];
void	h_mapping_patch(struct req *, struct reply *);
extern const struct field f_zoom_attendance[];
void	h_zoom_attendance(struct req *, struct reply *);
extern const struct field f_interviewee_join[];
void	h_interviewee_join(struct req *, struct reply *);
extern const struct field f_zoom_joined_user[];
void	h_zoom_joined(struct req *, struct reply *);
extern const struct field f_candidate_review[];
void	h_candidate_review(struct req *, struct reply *);
extern const struct field f_candidate_review_get[];
void	h_candidate_review_get(struct req *, struct reply *);
extern const struct field f_chat[];
void	h_chat_get(struct req *, struct reply *);
extern const struct field f_chat_post[];
void	h_chat_post(struct req *, struct reply *);
extern const struct field f_interview_action[];
void	h_interview_action(struct req *, struct reply *);

/* video calls */
void	h_zoom_signature(struct req *, struct reply *);
extern const struct field f_zoom_signature[];
void	h_turn_credentials(struct req *, struct reply *);
extern const struct field f_turn_credentials[];
void	h_turn_disconnect(struct req *, struct reply *);
extern const struct field f_turn_disconnect[];
void	h_call_signal(struct req *, struct reply *);
extern const struct field f_call_signal[];

/* mailing an event's people (h_mail.c) */
extern const struct field f_send_event_mail[];
void	h_send_event_mail(struct req *, struct reply *);

/* hiring decisions (h_audit.c, h_rubrics.c, h_scorecards.c, h_blind.c,
 * h_duplicates.c, h_impact.c) */
extern const struct field f_audit[];
void	h_audit_get(struct req *, struct reply *);
extern const struct field f_round_rubric[];
void	h_rubric_get(struct req *, struct reply *);
extern const struct field f_round_rubric_create[];
void	h_rubric_create(struct req *, struct reply *);
extern const struct field f_round_rubric_patch[];
void	h_rubric_patch(struct req *, struct reply *);
extern const struct field f_scorecards[];
void	h_scorecards_get(struct req *, struct reply *);
extern const struct field f_scorecard_post[];
void	h_scorecard_post(struct req *, struct reply *);
extern const struct field f_scorecard_decision[];
void	h_scorecard_decide(struct req *, struct reply *);
extern const struct field f_blind_screening[];
void	h_blind_get(struct req *, struct reply *);
extern const struct field f_blind_screening_set[];
void	h_blind_set(struct req *, struct reply *);
extern const struct field f_duplicates[];
void	h_duplicates_get(struct req *, struct reply *);
extern const struct field f_duplicates_settle[];
void	h_duplicates_post(struct req *, struct reply *);
extern const struct field f_self_identification[];
void	h_selfid_get(struct req *, struct reply *);
extern const struct field f_self_identification_set[];
void	h_selfid_post(struct req *, struct reply *);
extern const struct field f_adverse_impact[];
void	h_impact_get(struct req *, struct reply *);
/* connectify-fcgi --verify-audit: 0 (intact) or 1 (first break named). */
int	audit_verify(void);
/* candidates' rights and HR's data */
void	h_export(struct req *, struct reply *);
extern const struct field f_export[];
void	h_webhook_create(struct req *, struct reply *);
extern const struct field f_webhook_create[];
void	h_webhook_list(struct req *, struct reply *);
extern const struct field f_webhook_list[];
void	h_webhook_disable(struct req *, struct reply *);
extern const struct field f_webhook_disable[];
void	h_webhook_deliveries(struct req *, struct reply *);
extern const struct field f_webhook_deliveries[];
void	h_webhook_replay(struct req *, struct reply *);
extern const struct field f_webhook_replay[];
void	h_status(struct req *, struct reply *);
extern const struct field f_status[];
void	h_status_link(struct req *, struct reply *);
extern const struct field f_status_link[];
void	h_status_link_revoke(struct req *, struct reply *);
extern const struct field f_status_link_revoke[];
void	h_consent(struct req *, struct reply *);
extern const struct field f_consent[];
void	h_me_export(struct req *, struct reply *);
extern const struct field f_me_export[];
void	h_me_delete(struct req *, struct reply *);
extern const struct field f_me_delete[];
void	h_candidate_erase(struct req *, struct reply *);
extern const struct field f_candidate_erase[];

/*
 * accounts.c: what the account handlers share.  user_json: a row of
 * USER_COLS (lib/sql/accounts.def) as JSON.  user_check_*: field checks
 * (struct field's check) of a phone number, an email address, a
 * username.  user_phone: the route's checked phone_number field,
 * normalised into out.  user_create: insert a user and answer 201 with
 * it, or 409 naming each field another account already has (username
 * NULL: one is made from the name).
 */
extern const char *const user_types[];	/* Hr, Interviewer, Interviewee */
struct json_object *user_json(const void *pgresult, int row);
void	user_check_phone(const char *, struct json_object *,
	    struct json_object *);
void	user_check_email(const char *, struct json_object *,
	    struct json_object *);
void	user_check_username(const char *, struct json_object *,
	    struct json_object *);
const char *user_phone(const struct req *, char *out, size_t outsz);
void	user_create(struct req *, struct reply *, const char *name,
	    const char *username, const char *email, const char *phone,
	    const char *type);
/* Sign an access and a refresh token for the user in row 0 of res
 * (USER_COLS) and record the refresh token (family: NULL starts a new
 * one).  The answer's object, or NULL with *rc set. */
struct pg_result;
struct json_object *tokens_issue(struct req *, const struct pg_result *,
	    const char *family, int *rc);
/* connectify-fcgi --create-hr and connectifyctl create-admin: the
 * first HR account, the organisation admin.  0 or -1 (said on stderr). */
int	create_hr(const char *name, const char *phone, const char *email);

#endif /* EXTERN_H */
