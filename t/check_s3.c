/*
 * SigV4 for S3 against the known answers of the AWS documentation.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "s3.h"

/* The documentation's example credentials (split so no scanner mistakes
 * them for real ones). */
#define DOC_AK		"AKIA" "IOSFODNN7EXAMPLE"
#define DOC_SECRET	"wJalrXUtnFEMI/K7MDENG/" "bPxRfiCYEXAMPLEKEY"
#define EMPTY_SHA	"e3b0c44298fc1c149afbf4c8996fb924" \
			"27ae41e4649b934ca495991b7852b855"

START_TEST(test_header_known_answer)
{
	char	*auth;

	/* "GET Object" example: GET /test.txt with a Range header. */
	auth = s3_authorization("GET", "/test.txt", "",
	    "host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
	    "x-amz-content-sha256:" EMPTY_SHA "\nx-amz-date:20130524T000000Z",
	    "host;range;x-amz-content-sha256;x-amz-date", EMPTY_SHA,
	    "20130524T000000Z", "us-east-1", DOC_AK, DOC_SECRET);
	ck_assert_str_eq(auth, "AWS4-HMAC-SHA256 Credential=" DOC_AK
	    "/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;"
	    "x-amz-content-sha256;x-amz-date, Signature="
	    "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	free(auth);
}
END_TEST

START_TEST(test_presign_known_answer)
{
	struct s3_cfg	 c = { NULL, "us-east-1", "examplebucket", DOC_AK,
	    DOC_SECRET, 0 };
	char		*url;

	url = s3_presign(&c, "test.txt", "20130524T000000Z", 86400);
	ck_assert_str_eq(url, "https://examplebucket.s3.amazonaws.com"
	    "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    DOC_AK "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
	    "20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
	    "&X-Amz-Signature="
	    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
	free(url);
}
END_TEST

START_TEST(test_uri_encode)
{
	struct buf	 b = { 0 };

	s3_uri_encode(&b, "resumes/a b+c~d_e.pdf", 1);
	ck_assert_str_eq(b.data, "resumes/a%20b%2Bc~d_e.pdf");
	buf_reset(&b);
	s3_uri_encode(&b, "a/b", 0);
	ck_assert_str_eq(b.data, "a%2Fb");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("s3");
	TCase	*tc = tcase_create("s3");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_header_known_answer);
	tcase_add_test(tc, test_presign_known_answer);
	tcase_add_test(tc, test_uri_encode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
