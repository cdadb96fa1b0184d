/*
 * Fuzz the mail renderer: templates (lib/tmpl.c) through mail_render
 * and the message built from them (lib/mail.c mail_build).  The input
 * is parts separated by lines "--": the variables (a JSON object; not
 * one: none), then the subject, text and HTML templates, written as
 * files of a template directory as the worker reads them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "fuzz.h"
#include "mail.h"

static const char *const exts[] = { "subject", "txt", "html" };
static char	 fuzz_dir[64];

static void
fuzz_cleanup(void)
{
	char	 path[128];
	size_t	 i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/fz.%s", fuzz_dir, exts[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

static void
fuzz_write(const char *ext, const char *s)
{
	char	 path[128];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/fz.%s", fuzz_dir, ext);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(s, f);
	fclose(f);
}

static void
fuzz_build(struct json_object *vars, struct buf *subj, struct buf *text,
    struct buf *html)
{
	struct mail_cfg		 mc;
	struct mail_msg		 m;
	struct json_object	*v;
	struct buf		 out = { 0 };

	memset(&mc, 0, sizeof(mc));
	memset(&m, 0, sizeof(m));
	mc.from = "Connectify <noreply@connectify.example>";
	m.to = json_object_object_get_ex(vars, "email", &v) ?
	    json_object_get_string(v) : "candidate@example.com";
	m.to_name = json_object_object_get_ex(vars, "name", &v) ?
	    json_object_get_string(v) : "";
	m.subject = buf_str(subj);
	m.text = buf_str(text);
	m.html = buf_str(html);
	m.message_id = "<fuzz@connectify.example>";
	if (mail_build(&mc, &m, 1700000000L, &out) == 0)
		FUZZ_ASSERT(out.len > 0 && strstr(out.data, "\r\n\r\n"));
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object	*vars;
	struct buf		 subj = { 0 }, text = { 0 }, html = { 0 };
	char			*part, err[256] = "";
	size_t			 i;

	if (fuzz_dir[0] == '\0') {
		snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/fuzz_tmpl.XXXXXX");
		if (mkdtemp(fuzz_dir) == NULL)
			abort();
		atexit(fuzz_cleanup);
		cfg.template_dir = fuzz_dir;
		cfg.frontend_url = "https://connectify.example";
	}
	part = fuzz_field(&d, &n, "\n--\n");
	vars = json_tokener_parse(part);
	free(part);
	if (!json_object_is_type(vars, json_type_object)) {
		json_object_put(vars);
		vars = json_object_new_object();
	}
	for (i = 0; i < 3; i++) {
		part = fuzz_field(&d, &n, "\n--\n");
		fuzz_write(exts[i], part);
		free(part);
	}
	if (mail_render("fz", vars, 1700000000L, &subj, &text, &html, err,
	    sizeof(err)) == 0)
		fuzz_build(vars, &subj, &text, &html);
	else
		FUZZ_ASSERT(err[0] != '\0');
	buf_free(&subj);
	buf_free(&text);
	buf_free(&html);
	json_object_put(vars);
	return 0;
}
