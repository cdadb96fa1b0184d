/*
 * Zoom signature rules and claims; coturn credentials (known answer).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jwt.h>

#include "turn.h"
#include "zoom.h"

static struct zoom_sig_req
base(void)
{
	struct zoom_sig_req	 z;

	memset(&z, 0, sizeof(z));
	z.role = 0;
	z.session_name = "room";
	z.cloud_recording_option = z.cloud_recording_election =
	    z.video_webrtc_mode = z.audio_compatible_mode =
	    z.audio_webrtc_mode = ZOOM_UNSET;
	return z;
}

static int
problems(const struct zoom_sig_req *z, const char *field)
{
	struct json_object	*errs = json_object_new_object();
	int			 n, has;

	n = zoom_sig_validate(z, errs);
	has = json_object_object_get_ex(errs, field, NULL);
	json_object_put(errs);
	return n > 0 && has;
}

START_TEST(test_rules)
{
	struct zoom_sig_req	 z = base();
	char			 name[202];

	ck_assert_int_eq(problems(&z, "role"), 0);
	z.role = 2;
	ck_assert(problems(&z, "role"));
	z = base();
	memset(name, 'x', 201);
	name[201] = '\0';
	z.session_name = name;
	ck_assert(problems(&z, "sessionName"));
	name[200] = '\0';
	ck_assert(!problems(&z, "sessionName"));
	z = base();
	z.expiration_seconds = 1799;
	ck_assert(problems(&z, "expirationSeconds"));
	z.expiration_seconds = 1800;
	ck_assert(!problems(&z, "expirationSeconds"));
	z.expiration_seconds = 172801;
	ck_assert(problems(&z, "expirationSeconds"));
	z = base();
	z.geo_regions = "IN,US";
	ck_assert(!problems(&z, "geoRegions"));
	z.geo_regions = "IN,ZZ";
	ck_assert(problems(&z, "geoRegions"));
	z.geo_regions = "INUS";
	ck_assert(problems(&z, "geoRegions"));
	z = base();
	z.audio_webrtc_mode = 3;
	ck_assert(problems(&z, "audioWebRtcMode"));
	z = base();
	z.user_identity = "123456789012345678901234567890123456";
	ck_assert(problems(&z, "userIdentity"));
}
END_TEST

START_TEST(test_claims)
{
	struct zoom_sig_req	 z = base();
	jwt_t			*j;
	char			*tok;

	z.role = 1;
	z.expiration_seconds = 3600;
	z.video_webrtc_mode = 0;
	tok = zoom_sig_make(&z, "key", "secret-secret", 1700000000);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(jwt_decode(&j, tok, (const unsigned char *)
	    "secret-secret", 13), 0);
	ck_assert_str_eq(jwt_get_grant(j, "app_key"), "key");
	ck_assert_str_eq(jwt_get_grant(j, "tpc"), "room");
	ck_assert_int_eq(jwt_get_grant_int(j, "role_type"), 1);
	ck_assert_int_eq(jwt_get_grant_int(j, "version"), 1);
	ck_assert_int_eq(jwt_get_grant_int(j, "iat"), 1700000000 - 30);
	ck_assert_int_eq(jwt_get_grant_int(j, "exp"), 1700000000 - 30 + 3600);
	ck_assert_int_eq(jwt_get_grant_int(j, "video_webrtc_mode"), 0);
	ck_assert_ptr_null(jwt_get_grant(j, "session_key"));
	jwt_free(j);
	/* A wrong secret does not verify. */
	ck_assert_int_ne(jwt_decode(&j, tok, (const unsigned char *)"nope",
	    4), 0);
	free(tok);
}
END_TEST

START_TEST(test_coturn)
{
	struct json_object	*o, *list, *turn, *v;
	char			*c;

	/* Known answer (HMAC-SHA1, base64) for coturn's REST scheme. */
	c = turn_coturn_credential("north", "1700003600:alice");
	ck_assert_str_eq(c, "wjwSXO2ch1B6VaLTLMy2Avn5O9o=");
	free(c);
	o = turn_coturn_ice("north", "alice", 3600, 1700000000,
	    "stun:s.example:3478, turn:t.example:3478?transport=udp,"
	    "turns:t.example:5349?transport=tcp");
	list = json_object_object_get(o, "ice_servers");
	ck_assert_int_eq(json_object_array_length(list), 2);
	turn = json_object_array_get_idx(list, 1);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(turn,
	    "username")), "1700003600:alice");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(turn,
	    "credential")), "wjwSXO2ch1B6VaLTLMy2Avn5O9o=");
	v = json_object_object_get(turn, "urls");
	ck_assert_int_eq(json_object_array_length(v), 2);
	v = json_object_object_get(json_object_array_get_idx(list, 0), "urls");
	ck_assert_str_eq(json_object_get_string(
	    json_object_array_get_idx(v, 0)), "stun:s.example:3478");
	ck_assert(!json_object_object_get_ex(json_object_array_get_idx(list, 0),
	    "credential", NULL));
	json_object_put(o);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("video");
	TCase	*tc = tcase_create("video");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_claims);
	tcase_add_test(tc, test_coturn);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
