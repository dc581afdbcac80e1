/* ctl.h: the state every waportalctl command gets: configuration and database. */
#ifndef WA_CTL_H
#define WA_CTL_H

#include "core/config.h"
#include "core/db.h"

struct ctl {
	struct conf	 conf;
	struct db	 db;
};

#endif
