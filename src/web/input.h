/* input.h: declared inputs: validators that clean a value and say why it is wrong. */
#ifndef WA_INPUT_H
#define WA_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct req;

/*
 * One input of a request, filled by the central checks (serve.c) from
 * the query (safe methods) or the form (the others). A validator reads
 * s (the value as sent, NUL-terminated) and either cleans it (s and n
 * then hold the normalised value, i a number's value) and returns 0,
 * or sets err to why it is wrong and returns -1. Afterwards s is NULL
 * unless the value is present and valid; raw keeps what was sent, so
 * a form can show it again.
 */
struct field {
	const char	*s;
	size_t		 n;
	int64_t		 i;
	const char	*raw;		/* as sent, or NULL when absent */
	size_t		 rawn;
	const char	*err;		/* English (N_), translated when shown */
};

struct input {
	const char	*name;
	int		(*valid)(struct req *, struct field *);
	unsigned	 flags;
};

#define INPUT_REQUIRED	0x1	/* absent is invalid */

/* input.c: the validators every module shares. */
int	input_path_is_local(const char *, size_t);
int	input_text(struct req *, struct field *);
int	input_trimmed(struct req *, struct field *);
int	input_id(struct req *, struct field *);
int	input_lang(struct req *, struct field *);
int	input_local_path(struct req *, struct field *);
int	input_login_email(struct req *, struct field *);
int	input_password(struct req *, struct field *);

#endif
