/*
 * noop: finishes at once.  Args: {"fail": "retry"|"permanent"} makes it
 * fail that way (tests of retries and the dead letter state); {"sleep_ms":
 * n} makes it take n milliseconds (tests of leases and shutdown).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "extern.h"

enum job_rc
j_noop(struct job *j, char *err, size_t errsz)
{
	struct json_object	*v;
	struct timespec		 ts;
	long			 ms;

	if (json_object_object_get_ex(j->args, "sleep_ms", &v) &&
	    (ms = (long)json_object_get_int64(v)) > 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1)
			continue;
	}
	if (json_object_object_get_ex(j->args, "fail", &v)) {
		snprintf(err, errsz, "asked to fail (%s)",
		    json_object_get_string(v));
		return strcmp(json_object_get_string(v), "permanent") == 0 ?
		    JOB_FAIL : JOB_RETRY;
	}
	return JOB_OK;
}
