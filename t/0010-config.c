/* 0010-config: defaults, good values, and bad values naming their variable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "tap.h"

static const struct {
	const char	*var;
	const char	*val;
	int		 ok;
} cases[] = {
	{ "WAPORTAL_MAX_REQUESTS", "0", 1 },
	{ "WAPORTAL_MAX_REQUESTS", "5000", 1 },
	{ "WAPORTAL_MAX_REQUESTS", "-1", 0 },
	{ "WAPORTAL_MAX_REQUESTS", "12abc", 0 },
	{ "WAPORTAL_MAX_REQUESTS", "", 0 },
	{ "WAPORTAL_MAX_REQUESTS", " 5", 0 },
	{ "WAPORTAL_MAX_REQUESTS", "99999999999999999999999", 0 },
	{ "WAPORTAL_MAX_BODY", "1023", 0 },
	{ "WAPORTAL_MAX_BODY", "1024", 1 },
	{ "WAPORTAL_MAX_BODY", "67108864", 1 },
	{ "WAPORTAL_MAX_BODY", "67108865", 0 },
	{ "WAPORTAL_DB_CONNECT_TIMEOUT", "0", 0 },
	{ "WAPORTAL_STATEMENT_TIMEOUT", "0x10", 0 },
	{ "WAPORTAL_DISPATCH_INTERVAL", "1", 1 },
	{ "DATABASE_URL", "", 0 },
	{ "DATABASE_URL", "postgresql:///x", 1 },
	{ "WAPORTAL_TEMPLATE_DIR", "", 0 },
	{ "WAPORTAL_PUBLIC_URL", "", 1 },
	{ "WAPORTAL_PUBLIC_URL", "https://portal.example.com", 1 },
	{ "WAPORTAL_PUBLIC_URL", "http://127.0.0.1:8080", 1 },
	{ "WAPORTAL_PUBLIC_URL", "https://portal.example.com/", 0 },
	{ "WAPORTAL_PUBLIC_URL", "ftp://portal.example.com", 0 },
	{ "WAPORTAL_PUBLIC_URL", "javascript:alert(1)", 0 },
	{ "WAPORTAL_PUBLIC_URL", "https://a b", 0 },
	{ "WAPORTAL_PUBLIC_URL", "https://x?y", 0 },
};

static void
clear_env(void)
{
	enum conf_key	 k;

	for (k = 0; k < CONF__MAX; k++)
		unsetenv(conf_defs[k].name);
}

/* docs/configuration.md must name every variable of the table. */
static void
docs_cover_every_variable(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], text[65536];
	enum conf_key	 k;
	size_t		 n;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/docs/configuration.md",
	    top != NULL ? top : ".");
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "docs/configuration.md readable");
		return;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	for (k = 0; k < CONF__MAX; k++)
		ok(strstr(text, conf_defs[k].name) != NULL,
		    "docs/configuration.md documents %s", conf_defs[k].name);
}

int
main(void)
{
	struct conf	 c;
	enum conf_key	 k;
	size_t		 i;
	int		 rc;

	clear_env();
	is_int(conf_load(&c), 0, "defaults load");
	for (k = 0; k < CONF__MAX; k++)
		is_str(c.str[k], conf_defs[k].def, "%s defaults to its table "
		    "value", conf_defs[k].name);
	is_int(c.num[CONF_MAX_BODY], 4194304, "numbers parsed");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		clear_env();
		setenv(cases[i].var, cases[i].val, 1);
		rc = conf_load(&c);
		is_int(rc, cases[i].ok ? 0 : -1, "%s=\"%s\" %s", cases[i].var,
		    cases[i].val, cases[i].ok ? "accepted" : "refused");
		if (!cases[i].ok)
			ok(strncmp(c.errmsg, cases[i].var,
			    strlen(cases[i].var)) == 0, "message names %s: %s",
			    cases[i].var, c.errmsg);
	}
	clear_env();
	setenv("WAPORTAL_SQL_DIR", "/nonexistent/dir", 1);
	conf_load(&c);
	is_int(conf_require_dir(&c, CONF_SQL_DIR), -1, "missing dir refused");
	ok(strstr(c.errmsg, "WAPORTAL_SQL_DIR") != NULL, "and named");
	setenv("WAPORTAL_SQL_DIR", "/", 1);
	conf_load(&c);
	is_int(conf_require_dir(&c, CONF_SQL_DIR), 0, "existing dir taken");
	docs_cover_every_variable();
	return done_testing();
}
