/* log.c: err(3)-style warnings (log_warn appends errno) and logfmt records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

static const char	*log_prog = "waportal";
static long		 log_pid;

void
log_init(const char *progname)
{
	log_prog = progname;
	log_pid = (long)getpid();
}

/* Start a record with "time=… prog=… pid=… level=…". */
void
log_prefix(struct buf *b, const char *level)
{
	char		 ts[40], pid[16];
	struct timespec	 now;
	struct tm	 tm;
	size_t		 n;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%03ldZ", now.tv_nsec / 1000000);
	snprintf(pid, sizeof(pid), "%ld", log_pid ? log_pid : (long)getpid());
	log_kv(b, "time", ts);
	log_kv(b, "prog", log_prog);
	log_kv(b, "pid", pid);
	log_kv(b, "level", level);
}

/* Write a prefixed record with the message quoted as logfmt. */
static void
log_emit(const char *level, const char *errstr, const char *fmt, va_list ap)
{
	struct buf	 line = BUF_INIT, msg = BUF_INIT;

	buf_vprintf(&msg, fmt, ap);
	if (errstr != NULL)
		buf_printf(&msg, ": %s", errstr);
	log_prefix(&line, level);
	log_kv(&line, "msg", buf_str(&msg));
	log_line(&line);
	buf_free(&line);
	buf_free(&msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	log_emit("warn", strerror(e), fmt, ap);
	va_end(ap);
	errno = e;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit("warn", NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit("info", NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	log_emit("fatal", strerror(e), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit("fatal", NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * Append " key=value" in logfmt: the value is quoted when it holds a
 * space, quote, '=' or control byte; quotes, backslashes and control
 * bytes are escaped, so one record is always exactly one line.
 */
void
log_kv(struct buf *b, const char *key, const char *val)
{
	const unsigned char	*p;
	int			 quote = (*val == '\0');

	for (p = (const unsigned char *)val; *p != '\0'; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    *p == 0x7f)
			quote = 1;
	if (b->len > 0)
		buf_putc(b, ' ');
	buf_printf(b, "%s=", key);
	if (!quote) {
		buf_puts(b, val);
		return;
	}
	buf_putc(b, '"');
	for (p = (const unsigned char *)val; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p < ' ' || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

/* One record, one write: lines from several workers never interleave. */
void
log_line(const struct buf *b)
{
	struct buf	 out = BUF_INIT;

	buf_append(&out, buf_str(b), b->len);
	buf_putc(&out, '\n');
	fwrite(out.data, 1, out.len, stderr);
	fflush(stderr);
	buf_free(&out);
}
