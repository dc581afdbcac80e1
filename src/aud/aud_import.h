/* aud_import.h: what a column of an imported CSV may hold (the targets), the mapping proposed from its header, and one cell cleaned as the import stores it; shared by the portal's and the API's import and the runner. */
#ifndef WA_AUD_IMPORT_H
#define WA_AUD_IMPORT_H

#include <stddef.h>

#include "core/db.h"

#define AUD_IMPORT_CHUNK	(1024 * 1024)	/* bytes per import_chunks row */

struct aud_sniff;
struct buf;
struct json_object;

/* A custom field of the customer (contact_fields), as imports read it. */
struct aud_field {
	char		*key;
	char		*label;
	int		 kind;		/* enum cfield_kind */
	char		**choices;
	size_t		 nchoices;
};

struct aud_fields {
	struct aud_field	*v;
	size_t			 n;
};

/* The fixed targets: "" (not imported), "phone", "name", ... */
struct aud_target {
	const char	*target;
	const char	*label;		/* English (N_) */
};

extern const struct aud_target	aud_targets[];
extern const size_t		aud_ntargets;

void	 aud_fields_add(struct aud_fields *, const char *key,
	    const char *label, const char *kind, const char *choices_json);
void	 aud_fields_free(struct aud_fields *);
const struct aud_field *aud_field_find(const struct aud_fields *,
	    const char *key);

int	 aud_target_ok(const char *, const struct aud_fields *);
struct json_object *aud_map_propose(const struct aud_sniff *,
	    const struct aud_fields *);
int	 aud_cell_clean(const char *target, const char *, size_t,
	    const char *country, const struct aud_fields *, struct buf *,
	    const char **why);

/* aud_import_db.c: the records. */
extern const struct stmt_set aud_import_stmts;

int	 aud_fields_load(struct db *, const char *customer,
	    struct aud_fields *);
int	 aud_import_create(struct db *, const char *customer, const char *name,
	    const char *, size_t, const struct aud_sniff *,
	    const char *country, char id[24]);
int	 aud_import_head(struct db *, const char *customer, const char *id,
	    long long size, struct aud_sniff *);
int	 aud_import_start(struct db *, const char *customer, const char *id,
	    char out[16]);
int	 aud_job_cancel(struct db *, const char *customer, const char *id,
	    char out[16]);

#endif
