/* ctl_main.c: waportalctl, the admin CLI: one table of subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/migrate.h"
#include "ctl.h"
#include "ctl_account.h"
#include "ctl_check.h"
#include "ctl_host.h"

struct ctl_cmd {
	const char	*name;
	int		(*fn)(struct ctl *, int, char **);
	const char	*usage;
	int		 needs_db;
};

/* migrate [--status]: apply pending migrations, or list them all. */
static int
ctl_migrate(struct ctl *c, int argc, char **argv)
{
	struct migrations	 m;
	const char		*dir = c->conf.str[CONF_SQL_DIR];
	size_t			 i;
	int			 rc;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--status") != 0)) {
		fprintf(stderr, "usage: waportalctl migrate [--status]\n");
		return 2;
	}
	if (conf_require_dir(&c->conf, CONF_SQL_DIR) == -1) {
		fprintf(stderr, "waportalctl: %s\n", c->conf.errmsg);
		return 1;
	}
	if (argc == 2) {
		rc = migrate_status(&m, &c->db, dir);
		for (i = 0; rc == 0 && i < m.n; i++)
			printf("%-8s %s%s%s\n", m.v[i].changed ? "changed" :
			    m.v[i].applied_at ? "applied" : "pending",
			    m.v[i].name, m.v[i].applied_at ? "  " : "",
			    m.v[i].applied_at ? m.v[i].applied_at : "");
	} else {
		rc = migrate_apply(&m, &c->db, dir, stdout);
		if (rc == 0)
			printf("schema up to date (%zu migrations)\n", m.n);
	}
	if (rc == -1)
		fprintf(stderr, "waportalctl: migrate: %s\n", m.errmsg);
	migrations_free(&m);
	return rc == 0 ? 0 : 1;
}

/* config: every variable with its value and meaning (none are secret yet). */
static int
ctl_config(struct ctl *c, int argc, char **argv)
{
	enum conf_key	 k;

	if (argc != 1) {
		fprintf(stderr, "usage: waportalctl config\n");
		return 2;
	}
	for (k = 0; k < CONF__MAX; k++)
		printf("%s=%s\t# %s (default %s)\n", conf_defs[k].name,
		    conf_shown(&c->conf, k),
		    conf_defs[k].doc, conf_defs[k].def);
	return 0;
}

static const struct ctl_cmd ctl_cmds[] = {
	{ "migrate", ctl_migrate, "migrate [--status]   apply or list "
	    "database migrations", 1 },
	{ "config", ctl_config, "config               print the "
	    "configuration variables", 0 },
	{ "dealer", ctl_dealer, ctl_dealer_usage, 0 },
	{ "package", ctl_package, ctl_package_usage, 0 },
	{ "user", ctl_user, ctl_user_usage, 0 },
	{ "host", ctl_host, ctl_host_usage, 0 },
	{ "check", ctl_check, ctl_check_usage, 0 },
};

static int
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: waportalctl command [args]\ncommands:\n");
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		fprintf(stderr, "  %s\n", ctl_cmds[i].usage);
	return 2;
}

int
main(int argc, char *argv[])
{
	struct ctl		 c;
	const struct ctl_cmd	*cmd = NULL;
	size_t			 i;
	int			 rc;

	log_init("waportalctl");
	if (argc < 2)
		return usage();
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(argv[1], ctl_cmds[i].name) == 0)
			cmd = &ctl_cmds[i];
	if (cmd == NULL)
		return usage();
	if (conf_load(&c.conf) == -1) {
		fprintf(stderr, "waportalctl: configuration: %s\n",
		    c.conf.errmsg);
		return 1;
	}
	db_init(&c.db, c.conf.str[CONF_DATABASE_URL],
	    (int)c.conf.num[CONF_DB_CONNECT_TIMEOUT], 0);
	if (cmd->needs_db && db_connect(&c.db) == -1) {
		fprintf(stderr, "waportalctl: %s\n", c.db.errmsg);
		db_free(&c.db);
		return 1;
	}
	rc = cmd->fn(&c, argc - 1, argv + 1);
	db_free(&c.db);
	return rc;
}
