# systemd/local.mk: the services' units and the tmpfiles.d file (docs/deploy.md), installed with the programs' path in them; the logrotate file for machines without systemd.
systemdunitdir = $(prefix)/lib/systemd/system
tmpfilesdir = $(prefix)/lib/tmpfiles.d
systemdunit_DATA = systemd/waportal-fcgi.service \
	systemd/waportal-dispatch.service systemd/waportal-runner.service
dist_tmpfiles_DATA = systemd/tmpfiles/waportal.conf
logrotatedir = $(sysconfdir)/logrotate.d
dist_logrotate_DATA = systemd/logrotate/waportal
EXTRA_DIST += systemd/waportal-fcgi.service.in \
	systemd/waportal-dispatch.service.in systemd/waportal-runner.service.in
CLEANFILES += $(systemdunit_DATA)
SYSTEMD_SUBST = sed -e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@systemdunitdir[@]|$(systemdunitdir)|g'
systemd/waportal-fcgi.service: systemd/waportal-fcgi.service.in Makefile
	$(MKDIR_P) systemd && $(SYSTEMD_SUBST) $(srcdir)/$@.in >$@
systemd/waportal-dispatch.service: systemd/waportal-dispatch.service.in Makefile
	$(MKDIR_P) systemd && $(SYSTEMD_SUBST) $(srcdir)/$@.in >$@
systemd/waportal-runner.service: systemd/waportal-runner.service.in Makefile
	$(MKDIR_P) systemd && $(SYSTEMD_SUBST) $(srcdir)/$@.in >$@
