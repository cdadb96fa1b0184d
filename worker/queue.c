/*
 * queue: the worker's side of the job table -- claim, run, finish, fail,
 * release, rescue and prune.  See notes/jobqueue.md for the design: one
 * "available" state for ready, delayed and retried jobs; completion
 * fenced by (id, worker, attempt) so a job whose lease was lost cannot be
 * completed twice.
 *
 * Leases: every job this process holds (the batch in hand, running or
 * waiting its turn) is renewed a third of a lease after the last renewal,
 * from job_heartbeat(): between jobs, between the steps of a job, and from
 * libcurl's progress callback during every outbound call (lib/http.c),
 * so a slow scorer, S3 or SMTP server never lets a lease lapse while its
 * process lives.  The one step that cannot renew is a PDF extraction in
 * its child, bounded by PDF_WALL_MS: the lease is made to outlast it.  A
 * process that dies stops renewing; its jobs return after one lease.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "queue.h"

char		 worker_id[64];

/* The batch in hand: ids for heartbeats, release and batched completion. */
static long	 inhand[256];
static size_t	 ninhand;
static long	 current;	/* the job running now, 0 between jobs */
static long	 lease_s;	/* what we claim and renew for */
static long long last_beat;	/* ms (monotonic) of the last renewal */
/* The attempt limits of lib/jobkind.c's kinds as claim parameters:
 * "{noop,...}" and "{3,...}", built once. */
static struct buf kind_names, kind_limits;

static long long
queue_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
queue_init(void)
{
	const struct job_kind_info	*k;
	char				 host[32];
	long				 wall_s;
	int				 i;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(worker_id, sizeof(worker_id), "%s:%d", host, (int)getpid());
	buf_reset(&kind_names);
	buf_reset(&kind_limits);
	for (i = 0; i < JOB__MAX; i++) {
		k = job_kind_info((enum job_kind)i);
		buf_printf(&kind_names, "%s%s", i == 0 ? "{" : ",", k->name);
		buf_printf(&kind_limits, "%s%d", i == 0 ? "{" : ",",
		    k->max_attempts);
	}
	buf_puts(&kind_names, "}");
	buf_puts(&kind_limits, "}");
	/* Heartbeats come about once a second; a PDF extraction cannot
	 * renew at all. */
	lease_s = cfg.job_lease_s < 3 ? 3 : cfg.job_lease_s;
	wall_s = (cfg.pdf_wall_ms + 999) / 1000 + 2;
	if (lease_s < wall_s) {
		log_warn("JOB_LEASE_S=%ld is shorter than a PDF extraction may "
		    "take (PDF_WALL_MS=%ld); leases of %ld s", cfg.job_lease_s,
		    cfg.pdf_wall_ms, wall_s);
		lease_s = wall_s;
	}
}

long
queue_lease(void)
{
	return lease_s;
}

/* "{1,2,3}" for a bigint[] parameter. */
static void
ids_array(struct buf *b, const long *ids, size_t n)
{
	size_t	 i;

	buf_reset(b);
	buf_puts(b, "{");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%ld", i ? "," : "", ids[i]);
	buf_puts(b, "}");
}

int
queue_claim(struct job *jobs, int max, const long *done, size_t ndone)
{
	struct buf	 ids = { 0 };
	PGresult	*res = NULL;
	char		 lim[16], lease[16];
	int		 i, n, rc;

	snprintf(lim, sizeof(lim), "%d", max);
	snprintf(lease, sizeof(lease), "%ld", lease_s);
	if (ndone > 0) {
		/* Finish the last batch's quiet jobs on the way. */
		ids_array(&ids, done, ndone);
		rc = db_q(STMT_JOB_COMPLETE_CLAIM, &res, lim, worker_id, lease,
		    kind_names.data, kind_limits.data, ids.data);
		buf_free(&ids);
	} else
		rc = db_q(STMT_JOB_CLAIM, &res, lim, worker_id, lease,
		    kind_names.data, kind_limits.data);
	if (rc != DB_OK)
		return -1;
	n = PQntuples(res);
	ninhand = 0;
	for (i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].id = db_num(res, i, "id");
		snprintf(jobs[i].kind, sizeof(jobs[i].kind), "%s",
		    db_text(res, i, "kind"));
		jobs[i].args = json_tokener_parse(db_text(res, i, "args"));
		if (jobs[i].args == NULL)
			jobs[i].args = json_object_new_object();
		jobs[i].attempt = (int)db_num(res, i, "attempt");
		jobs[i].max_attempts = (int)db_num(res, i, "max_attempts");
		inhand[ninhand++] = jobs[i].id;
	}
	PQclear(res);
	last_beat = queue_now_ms();
	return n;
}

/* Forget a job from the batch in hand. */
static void
queue_drop(long id)
{
	size_t	 i;

	for (i = 0; i < ninhand; i++)
		if (inhand[i] == id) {
			inhand[i] = inhand[--ninhand];
			return;
		}
}

int
queue_holds(long id)
{
	size_t	 i;

	for (i = 0; i < ninhand; i++)
		if (inhand[i] == id)
			return 1;
	return 0;
}

void
queue_set_current(long id)
{
	current = id;
}

int
job_heartbeat(void)
{
	struct buf	 ids = { 0 };
	PGresult	*res = NULL;
	PGconn		*c;
	char		 lease[16];
	long long	 now = queue_now_ms();
	size_t		 i, n;
	int		 r, k, lost = 0;

	if (ninhand == 0 || now - last_beat < lease_s * 1000 / 3)
		return 0;
	/* Inside a transaction the renewal would wait for its commit, or
	 * vanish with its rollback: renew once it is over. */
	if ((c = db_conn()) != NULL && PQstatus(c) == CONNECTION_OK &&
	    PQtransactionStatus(c) != PQTRANS_IDLE)
		return 0;
	last_beat = now;
	snprintf(lease, sizeof(lease), "%ld", lease_s);
	ids_array(&ids, inhand, ninhand);
	if (db_q(STMT_JOB_HEARTBEAT, &res, ids.data, worker_id, lease) !=
	    DB_OK) {
		log_warn("lease renewal failed");
		buf_free(&ids);
		return 0;
	}
	buf_free(&ids);
	/* A job that did not come back is no longer ours: the rescuer gave
	 * it to another worker.  Forget it; abort it if it is running. */
	for (i = 0, n = 0; i < ninhand; i++) {
		for (r = 0, k = 0; r < PQntuples(res) && !k; r++)
			k = db_num(res, r, "id") == inhand[i];
		if (k) {
			inhand[n++] = inhand[i];
			continue;
		}
		log_warn("job %ld: lease lost; another worker has it",
		    inhand[i]);
		if (inhand[i] == current)
			lost = 1;
	}
	ninhand = n;
	PQclear(res);
	return lost ? -1 : 0;
}

int
job_complete_tx(struct job *j)
{
	PGresult	*res = NULL;
	char		 id[24], att[16];
	int		 ok;

	snprintf(id, sizeof(id), "%ld", j->id);
	snprintf(att, sizeof(att), "%d", j->attempt);
	if (db_q(STMT_JOB_COMPLETE, &res, id, worker_id, att) != DB_OK)
		return -1;
	ok = PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		log_warn("job %ld: lease lost before completion", j->id);
		return -1;
	}
	j->completed = 1;
	queue_drop(j->id);
	return 0;
}

void
queue_complete_many(const long *ids, size_t n)
{
	struct buf	 b = { 0 };
	size_t		 i;

	if (n == 0)
		return;
	ids_array(&b, ids, n);
	if (db_q(STMT_JOB_COMPLETE_MANY, NULL, b.data, worker_id) != DB_OK)
		log_warn("batched completion failed; the leases will expire");
	for (i = 0; i < n; i++)
		queue_drop(ids[i]);
	buf_free(&b);
}

/*
 * Equal-jitter exponential backoff: d = min(3600, 15 * 2^(attempt-1)),
 * delay in [d/2, d).
 */
double
queue_backoff(int attempt)
{
	double		 d = 15;
	unsigned int	 r = 0;
	int		 i;

	for (i = 1; i < attempt && d < 3600; i++)
		d *= 2;
	if (d > 3600)
		d = 3600;
	if (random_bytes(&r, sizeof(r)) == -1)
		r = (unsigned int)rand();
	return d / 2 + (d / 2) * ((double)r / 4294967296.0);
}

void
queue_fail(struct job *j, int permanent, const char *err)
{
	PGresult	*res = NULL;
	char		 id[24], att[16], delay[32];

	snprintf(id, sizeof(id), "%ld", j->id);
	snprintf(att, sizeof(att), "%d", j->attempt);
	snprintf(delay, sizeof(delay), "%.3f", j->retry_after > 0 ?
	    (double)j->retry_after : queue_backoff(j->attempt));
	if (db_q(STMT_JOB_FAIL, &res, id, worker_id, att,
	    permanent ? NULL : delay, err) != DB_OK)
		log_error("job %ld: could not record the failure", j->id);
	else if (PQntuples(res) == 1)
		log_info("job %ld (%s) attempt %d failed%s: %s", j->id, j->kind,
		    j->attempt, strcmp(db_text(res, 0, "state"),
		    "discarded") == 0 ? ", discarded" : ", will retry", err);
	PQclear(res);
	queue_drop(j->id);
}

void
queue_release_inhand(void)
{
	struct buf	 b = { 0 };

	if (ninhand == 0)
		return;
	ids_array(&b, inhand, ninhand);
	if (db_q(STMT_JOB_RELEASE, NULL, b.data, worker_id) == DB_OK)
		log_info("handed back %zu unstarted jobs", ninhand);
	ninhand = 0;
	buf_free(&b);
}

void
queue_maintain(void)
{
	static time_t	 next_rescue, next_prune, next_sweep;
	PGresult	*res = NULL;
	time_t		 now = time(NULL);
	char		 hours[16], dhours[16];
	long		 n, total = 0;
	int		 i;

	if (now >= next_rescue) {
		/* Spread the processes' rescuers over the interval; with short
		 * leases look at least twice a lease. */
		next_rescue = now + 10 + (getpid() % 10);
		if (next_rescue > now + lease_s / 2)
			next_rescue = now + (lease_s / 2 > 1 ? lease_s / 2 : 1);
		if (db_query(STMT_JOB_RESCUE, &res, NULL, 0) == DB_OK &&
		    PQntuples(res) > 0)
			log_warn("returned %d jobs whose worker stopped "
			    "answering", PQntuples(res));
		PQclear(res);
		res = NULL;
	}
	if (next_sweep == 0)
		next_sweep = now + cfg.retention_interval_s;
	if (now >= next_sweep) {
		/* the consent and retention sweep (worker/j_retention.c) */
		next_sweep = now + cfg.retention_interval_s;
		snprintf(hours, sizeof(hours), "%ld", cfg.retention_interval_s);
		db_soft(STMT_RETENTION_ENQUEUE, hours);
	}
	if (now >= next_prune) {
		/* Batches of 1000, a few at a time, so neither a backlog nor a
		 * long transaction builds up. */
		next_prune = now + 300;
		snprintf(hours, sizeof(hours), "%ld", cfg.job_retention_h);
		snprintf(dhours, sizeof(dhours), "%ld",
		    cfg.job_discarded_retention_h);
		for (i = 0, n = 1000; i < 20 && n == 1000; i++) {
			if (db_q(STMT_JOB_PRUNE, &res, hours, dhours) != DB_OK)
				break;
			n = atol(PQcmdTuples(res));
			total += n;
			PQclear(res);
			res = NULL;
		}
		if (total > 0)
			log_info("pruned %ld finished jobs", total);
	}
}
