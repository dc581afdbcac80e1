/* migrate.h: numbered SQL migrations: list, compare with applied, apply under a lock. */
#ifndef WA_MIGRATE_H
#define WA_MIGRATE_H

#include <stdio.h>

struct db;
struct stmt_set;

extern const struct stmt_set migrate_stmts;

struct migration {
	char	*name;		/* file name, e.g. "0001_base.sql" */
	char	*applied_at;	/* ISO time, or NULL while pending */
	char	*sum;		/* SHA-256 (hex) recorded when applied, or "" */
	int	 on_disk;	/* 0: applied but its file is gone */
	int	 changed;	/* the file's SHA-256 is no longer sum */
};

struct migrations {
	struct migration	*v;
	size_t			 n;
	size_t			 pending;
	size_t			 changed;	/* applied files edited since */
	char			 errmsg[512];
};

int	migrate_status(struct migrations *, struct db *, const char *dir);
int	migrate_apply(struct migrations *, struct db *, const char *dir,
	    FILE *progress);
void	migrations_free(struct migrations *);
int	migrate_name_valid(const char *);

#endif
