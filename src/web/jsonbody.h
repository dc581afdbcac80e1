/* jsonbody.h: parse a JSON request body with json-c under parse_limits. */
#ifndef WA_JSONBODY_H
#define WA_JSONBODY_H

#include <stddef.h>

struct json_object;
struct parse_limits;

int	jsonbody_parse(struct json_object **, const char *, size_t,
	    const struct parse_limits *, int *, char *, size_t);

#endif
