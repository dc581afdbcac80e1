/* bcast_state.h: a broadcast's state as a word of the reader's language, for the pages that list broadcasts. */
#ifndef WA_BCAST_STATE_H
#define WA_BCAST_STATE_H

struct req;

const char	*bc_state_word(struct req *, const char *state);

#endif
