/*
 * queue: the worker's side of the job table (worker/queue.c).
 */
#ifndef QUEUE_H
#define QUEUE_H

#include <stddef.h>

struct job;

void	queue_init(void);		/* after fork: worker_id, lease */
/* The lease claimed and renewed, seconds: JOB_LEASE_S, raised to outlast
 * a PDF extraction (PDF_WALL_MS) and to at least 3. */
long	queue_lease(void);
/* Complete done[] (jobs that wrote nothing) and claim up to max ready
 * jobs into jobs[] in one statement; their count, or -1 (then done[] is
 * not completed: the caller completes it itself). */
int	queue_claim(struct job *jobs, int max, const long *done, size_t ndone);
/* Complete jobs that wrote nothing, in one statement. */
void	queue_complete_many(const long *ids, size_t n);
/* Record a failure: retry after a backoff, or discard (permanent). */
void	queue_fail(struct job *, int permanent, const char *err);
/* 1 while the lease of claimed job id is ours (a heartbeat may find it
 * lost: then another worker runs it and this one must not). */
int	queue_holds(long id);
/* The job now running (0: none), aborted when its lease is lost. */
void	queue_set_current(long id);
/* Hand back the claimed jobs not yet run (shutdown). */
void	queue_release_inhand(void);
/* Rescue expired leases and prune old jobs when due. */
void	queue_maintain(void);
/* The retry delay for an attempt, in seconds (with jitter). */
double	queue_backoff(int attempt);

#endif /* QUEUE_H */
