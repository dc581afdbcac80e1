/* modules.h: the list of modules the worker serves (modules.c). */
#ifndef WA_MODULES_H
#define WA_MODULES_H

struct module;

extern const struct module *const fcgi_modules[];

#endif
