# src/ctl/local.mk: waportalctl, the administrator's command line; never the web layer.
bin_PROGRAMS += src/waportalctl
src_waportalctl_SOURCES = \
	src/ctl/ctl_main.c src/ctl/ctl.h \
	src/ctl/ctl_account.c src/ctl/ctl_account.h \
	src/ctl/ctl_dealer.c \
	src/ctl/ctl_package.c \
	src/ctl/ctl_user.c src/ctl/ctl_passwd.c \
	src/ctl/ctl_table.c \
	src/ctl/ctl_host.c src/ctl/ctl_host.h src/ctl/ctl_host_check.c \
	src/ctl/ctl_host_priv.h src/ctl/ctl_check.c src/ctl/ctl_check.h
src_waportalctl_LDADD = $(CORE_LIBS)
