/*
 * zoom: Zoom Video SDK session signatures (HS256 JWTs).
 *
 * The claims follow Zoom's Video SDK authorization rules: app_key, tpc
 * (the session name), role_type (0 participant, 1 host), version 1, iat,
 * exp (iat + 1800 .. iat + 172800), and the optional user_identity,
 * session_key, geo_regions, cloud_recording_option,
 * cloud_recording_election, video_webrtc_mode, audio_compatible_mode and
 * audio_webrtc_mode only when given.
 */
#ifndef ZOOM_H
#define ZOOM_H

#include <json-c/json.h>

#define ZOOM_UNSET	(-1)

struct zoom_sig_req {
	int		 role;			/* 0 or 1 */
	const char	*session_name;		/* 1..200 characters */
	long		 expiration_seconds;	/* 0: 7200 */
	const char	*user_identity;		/* NULL or <= 35 characters */
	const char	*session_key;		/* NULL or <= 36 characters */
	const char	*geo_regions;		/* NULL or "IN,US" */
	int		 cloud_recording_option;	/* ZOOM_UNSET, 0, 1 */
	int		 cloud_recording_election;
	int		 video_webrtc_mode;
	int		 audio_compatible_mode;
	int		 audio_webrtc_mode;
};

/*
 * Check r against Zoom's rules; each problem is added to errs (a JSON
 * object owned by the caller) under the original API's camelCase name.
 * Returns the number of problems.
 */
int	zoom_sig_validate(const struct zoom_sig_req *,
	    struct json_object *errs);

/*
 * Sign r (already validated) with the SDK key and secret at time now
 * (iat = now - 30 for clock skew).  Returns a malloc'd JWT (caller frees)
 * or NULL.
 */
char	*zoom_sig_make(const struct zoom_sig_req *, const char *sdk_key,
	    const char *sdk_secret, long now);

#endif /* ZOOM_H */
