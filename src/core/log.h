/* log.h: err(3)-style diagnostics and logfmt lines, all to stderr. */
#ifndef WA_LOG_H
#define WA_LOG_H

#include <stdarg.h>

void	log_init(const char *progname);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

struct buf;
void	log_prefix(struct buf *, const char *level);
void	log_kv(struct buf *, const char *key, const char *val);
void	log_line(const struct buf *);

#endif
