/* nls.h: N_() marks an English sentence a page shows translated; xgettext collects it into po/waportal.pot. */
#ifndef WA_NLS_H
#define WA_NLS_H

/* The sentence itself: translated where it is shown (i18n_tr). */
#define N_(s)	s

#endif
