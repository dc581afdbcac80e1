# sql/local.mk: the migrations, installed for waportalctl migrate; every sql/NNNN_*.sql is one.
sqldir = $(pkgdatadir)/sql
EXTRA_DIST += sql
install-data-local: install-sql
uninstall-local: uninstall-sql
install-sql:
	$(MKDIR_P) '$(DESTDIR)$(sqldir)'
	$(INSTALL_DATA) $(srcdir)/sql/[0-9]*.sql '$(DESTDIR)$(sqldir)'
uninstall-sql:
	for f in $(srcdir)/sql/[0-9]*.sql; do \
	    rm -f "$(DESTDIR)$(sqldir)/$${f##*/}"; done
.PHONY: install-sql uninstall-sql
