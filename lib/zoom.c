/*
 * zoom: see zoom.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "valid.h"
#include "zoom.h"

#define ZOOM_EXP_MIN	1800
#define ZOOM_EXP_MAX	172800
#define ZOOM_EXP_DEF	7200

static const char *const zoom_regions[] = { "AU", "BR", "CA", "CN", "DE",
    "HK", "IN", "JP", "MX", "NL", "SG", "US", NULL };

static int
zoom_regions_ok(const char *s)
{
	const char	*p = s;
	size_t		 len, i;
	int		 n = 0;

	while (*p != '\0') {
		len = strcspn(p, ",");
		for (i = 0; zoom_regions[i] != NULL; i++)
			if (len == 2 && strncmp(p, zoom_regions[i], 2) == 0)
				break;
		if (zoom_regions[i] == NULL)
			return 0;
		n++;
		p += len;
		if (*p == ',' && *++p == '\0')
			return 0;
	}
	return n > 0;
}

static int
zoom_flag(int v, const char *name, struct json_object *errs)
{
	if (v == ZOOM_UNSET || v == 0 || v == 1)
		return 0;
	jv_err(errs, name, "must be 0 or 1");
	return 1;
}

int
zoom_sig_validate(const struct zoom_sig_req *r, struct json_object *errs)
{
	char	 msg[96];
	int	 n = 0;

	if (r->role != 0 && r->role != 1) {
		jv_err(errs, "role", "must be 0 (participant) or 1 (host)");
		n++;
	}
	if (r->session_name == NULL ||
	    !valid_text(r->session_name, 1, 200, 0)) {
		jv_err(errs, "sessionName", "must be 1 to 200 characters");
		n++;
	}
	if (r->expiration_seconds != 0 &&
	    (r->expiration_seconds < ZOOM_EXP_MIN ||
	    r->expiration_seconds > ZOOM_EXP_MAX)) {
		snprintf(msg, sizeof(msg), "must be from %d to %d seconds",
		    ZOOM_EXP_MIN, ZOOM_EXP_MAX);
		jv_err(errs, "expirationSeconds", msg);
		n++;
	}
	if (r->user_identity != NULL &&
	    !valid_text(r->user_identity, 1, 35, 0)) {
		jv_err(errs, "userIdentity", "must be 1 to 35 characters");
		n++;
	}
	if (r->session_key != NULL && !valid_text(r->session_key, 1, 36, 0)) {
		jv_err(errs, "sessionKey", "must be 1 to 36 characters");
		n++;
	}
	if (r->geo_regions != NULL && !zoom_regions_ok(r->geo_regions)) {
		jv_err(errs, "geoRegions", "must be codes from AU, BR, CA, CN, "
		    "DE, HK, IN, JP, MX, NL, SG, US");
		n++;
	}
	n += zoom_flag(r->cloud_recording_option, "cloudRecordingOption", errs);
	n += zoom_flag(r->cloud_recording_election, "cloudRecordingElection",
	    errs);
	n += zoom_flag(r->video_webrtc_mode, "videoWebRtcMode", errs);
	n += zoom_flag(r->audio_compatible_mode, "audioCompatibleMode", errs);
	n += zoom_flag(r->audio_webrtc_mode, "audioWebRtcMode", errs);
	return n;
}

char *
zoom_sig_make(const struct zoom_sig_req *r, const char *key,
    const char *secret, long now)
{
	jwt_t	*j = NULL;
	char	*tok = NULL;
	long	 iat = now - 30;
	int	 e = 0;

	if (key == NULL || secret == NULL || *secret == '\0' ||
	    jwt_new(&j) != 0)
		return NULL;
	e |= jwt_add_grant(j, "app_key", key);
	e |= jwt_add_grant(j, "tpc", r->session_name);
	e |= jwt_add_grant_int(j, "role_type", r->role);
	e |= jwt_add_grant_int(j, "version", 1);
	e |= jwt_add_grant_int(j, "iat", iat);
	e |= jwt_add_grant_int(j, "exp", iat + (r->expiration_seconds > 0 ?
	    r->expiration_seconds : ZOOM_EXP_DEF));
	if (r->user_identity != NULL)
		e |= jwt_add_grant(j, "user_identity", r->user_identity);
	if (r->session_key != NULL)
		e |= jwt_add_grant(j, "session_key", r->session_key);
	if (r->geo_regions != NULL)
		e |= jwt_add_grant(j, "geo_regions", r->geo_regions);
	if (r->cloud_recording_option != ZOOM_UNSET)
		e |= jwt_add_grant_int(j, "cloud_recording_option",
		    r->cloud_recording_option);
	if (r->cloud_recording_election != ZOOM_UNSET)
		e |= jwt_add_grant_int(j, "cloud_recording_election",
		    r->cloud_recording_election);
	if (r->video_webrtc_mode != ZOOM_UNSET)
		e |= jwt_add_grant_int(j, "video_webrtc_mode",
		    r->video_webrtc_mode);
	if (r->audio_compatible_mode != ZOOM_UNSET)
		e |= jwt_add_grant_int(j, "audio_compatible_mode",
		    r->audio_compatible_mode);
	if (r->audio_webrtc_mode != ZOOM_UNSET)
		e |= jwt_add_grant_int(j, "audio_webrtc_mode",
		    r->audio_webrtc_mode);
	e |= jwt_set_alg(j, JWT_ALG_HS256, (const unsigned char *)secret,
	    (int)strlen(secret));
	if (e == 0)
		tok = jwt_encode_str(j);
	jwt_free(j);
	return tok;
}
