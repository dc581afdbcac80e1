/* valid.h: the value rules every program shares: email, names and free text, checked and normalised (phone numbers: phone.h). */
#ifndef WA_VALID_H
#define WA_VALID_H

#include <stddef.h>

/*
 * Every function returns 0 when the value is acceptable, else -1 with
 * *err set to a short fixed English sentence for the user (never any
 * input bytes, so it is safe to log and to show).  err may be NULL.
 * Input is (pointer, length): it need not be NUL-terminated and may
 * hold NUL bytes, which are refused.  docs/validation.md has the rules.
 */

#define EMAIL_MAX	254	/* whole address, bytes (RFC 5321 path limit) */
#define EMAIL_LOCAL_MAX	64	/* part before the @, bytes */
#define EMAIL_LABEL_MAX	63	/* one domain label, bytes */

/* Code point limits of the profile's text fields. */
#define CONTACT_NAME_MAX	100
#define CONTACT_ADDRESS_MAX	500
#define CONTACT_NOTES_MAX	2000

/* A WhatsApp message text: its limit in code points, why it is refused. */
#define MSG_TEXT_MAX	65536

enum msg_text {
	MSGTEXT_OK,
	MSGTEXT_UTF8,		/* not UTF-8, or holds NUL */
	MSGTEXT_EMPTY,		/* nothing but spaces, tabs and line breaks */
	MSGTEXT_CONTROL,	/* a control character but tab and LF */
	MSGTEXT_LONG		/* more than MSG_TEXT_MAX code points */
};

/* The one rule of message texts, for the portal and the API alike. */
enum msg_text valid_message_text(char *, size_t *, size_t *);

/* Every status a message can have (sql/0006_messages.sql), in order. */
enum msg_status {
	MSGST_QUEUED,
	MSGST_SCHEDULED,
	MSGST_SENDING,
	MSGST_SENT,
	MSGST_DELIVERED,
	MSGST_READ,
	MSGST_FAILED,
	MSGST_CANCELLED,
	MSGST_RECEIVED,
	MSGST__MAX
};

extern const char *const msg_status_names[MSGST__MAX];

/* The status n bytes at s name, or MSGST__MAX. */
enum msg_status valid_message_status(const char *, size_t);

/* Trim ASCII spaces (0x20 only) from both ends of (*s, *n) in place. */
void	text_trim(const char **, size_t *);

/* Trimmed address, domain lower-cased, local part as typed; required. */
int	email_normalize(const char *, size_t, char [EMAIL_MAX + 1],
	    const char **);

/* UTF-8 text of at most max_chars code points; empty is accepted. */
int	text_field_ok(const char *, size_t, size_t, int, const char **);

/* Required single-line name: 1..CONTACT_NAME_MAX code points once trimmed. */
int	name_ok(const char *, size_t, const char **);

#endif
