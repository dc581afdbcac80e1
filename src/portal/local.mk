# src/portal/local.mk: libwaportal.a, the customer portal's pages and what only they use.
noinst_LIBRARIES += src/portal/libwaportal.a
src_portal_libwaportal_a_SOURCES = \
	src/portal/shell.c \
	src/portal/page_home.c \
	src/portal/page_login.c src/portal/throttle.c src/portal/throttle.h \
	src/portal/page_dashboard.c \
	src/portal/page_profile.c src/portal/profile.h src/portal/page_password.c \
	src/portal/page_avatar.c \
	src/portal/image.c src/portal/image.h src/portal/image_priv.h \
	src/portal/image_sniff.c src/portal/image_jpeg.c \
	src/portal/page_hosts.c src/portal/hosts_map.c src/portal/hosts_map.h \
	src/portal/hosts_land.c src/portal/hosts_land.h \
	src/portal/country.c src/portal/country.h \
	src/portal/page_import.c src/portal/page_import.h \
	src/portal/page_import_map.c \
	src/portal/page_import_run.c \
	src/portal/csvout.c src/portal/csvout.h \
	src/portal/page_exports.c \
	src/portal/page_bulk_job.c \
	src/portal/job_page.c src/portal/job_page.h \
	src/portal/page_instances.c src/portal/page_instance.c \
	src/portal/page_instance_action.c src/portal/page_instance_limits.c \
	src/portal/instance_gw.c src/portal/instance_gw.h \
	src/portal/qr.c src/portal/qr.h \
	src/portal/page_messages.c src/portal/page_msg.h \
	src/portal/page_msg_list.c src/portal/page_msg_valid.c \
	src/portal/page_msg_add.c src/portal/page_msg_cancel.c \
	src/portal/tzlist.c src/portal/tzlist.h \
	src/portal/page_apikeys.c src/portal/page_apikeys.h \
	src/portal/page_apikey_action.c \
	src/portal/ipallow.c src/portal/ipallow.h \
	src/portal/contacts.c src/portal/contacts.h \
	src/portal/page_contacts.c src/portal/page_contact_bulk.c \
	src/portal/page_contact.c src/portal/page_contact_form.c \
	src/portal/page_contact_tags.c src/portal/page_contact_fields.c \
	src/portal/page_subscriptions.c \
	src/portal/groups.c src/portal/groups.h src/portal/page_groups.c \
	src/portal/page_templates.c src/portal/page_templates.h \
	src/portal/page_templates_edit.c \
	src/portal/page_group_optin.c \
	src/portal/page_optin_job.c \
	src/portal/page_sub_analytics.c \
	src/portal/page_broadcasts.c src/portal/bcast_state.h src/portal/page_broadcasts_new.c \
	src/portal/page_bcast_brakes.c

# The land of the hosts map, compiled in as C tables the way the
# catalogs are (src/portal/land/README.md says where it comes from).
nodist_src_portal_libwaportal_a_SOURCES = src/portal/hosts_land_data.c
CLEANFILES += src/portal/hosts_land_data.c
EXTRA_DIST += src/portal/land
src/portal/hosts_land_data.c: $(srcdir)/src/portal/land/ne_110m_land.txt \
    $(srcdir)/src/portal/land/land2c.awk
	$(AM_V_GEN)$(MKDIR_P) src/portal && \
	$(AWK) -f $(srcdir)/src/portal/land/land2c.awk \
	    $(srcdir)/src/portal/land/ne_110m_land.txt >$@.tmp && \
	mv $@.tmp $@

# Every page template is installed; a new page adds its file, not a line.
templatedir = $(pkgdatadir)/templates
EXTRA_DIST += src/templates
install-data-local: install-templates
uninstall-local: uninstall-templates
install-templates:
	$(MKDIR_P) '$(DESTDIR)$(templatedir)'
	$(INSTALL_DATA) $(srcdir)/src/templates/*.mustache '$(DESTDIR)$(templatedir)'
uninstall-templates:
	for f in $(srcdir)/src/templates/*.mustache; do \
	    rm -f "$(DESTDIR)$(templatedir)/$${f##*/}"; done
.PHONY: install-templates uninstall-templates
