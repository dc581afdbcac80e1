# t/local.mk: the tests: C unit tests (each linked with only the library it tests), tools the shell tests run, and every t/*.t.

# C unit tests, by the library they test.
CORE_TESTS = t/0001-buf t/0002-utf8 t/0003-log t/0010-config t/0012-password \
	t/0031-valid-contact t/0032-phone t/0033-contact-field t/0037-tzmap \
	t/0071-hmac \
	t/0080-apikey
WEB_TESTS = t/0020-html t/0021-tmpl t/0022-mustache-spec t/0030-route \
	t/0040-form t/0041-cookie t/0042-multipart t/0043-jsonbody
GW_TESTS = t/0070-gw
PORTAL_TESTS = t/0060-image t/0072-qr t/0081-ipallow t/0127-hosts-map
API_TESTS = t/0082-apidoc
AUD_TESTS = t/0033-aud-filter t/0034-aud-csv t/0035-tpl t/0036-tpl-fuzz
UNIT_TESTS = $(CORE_TESTS) $(WEB_TESTS) $(GW_TESTS) $(PORTAL_TESTS) \
	$(API_TESTS) $(AUD_TESTS)
LDADD = $(CORE_LIBS)
t_0020_html_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0021_tmpl_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0022_mustache_spec_LDADD = $(WEB_LIBS) $(CORE_LIBS)
# The route test also checks the worker's whole table.
t_0030_route_SOURCES = t/0030-route.c src/fcgi/modules.c \
	src/fcgi/health.c src/fcgi/csp.c
t_0030_route_LDADD = $(src_waportal_fcgi_LDADD)
t_0040_form_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0041_cookie_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0042_multipart_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0043_jsonbody_LDADD = $(WEB_LIBS) $(CORE_LIBS)
t_0070_gw_LDADD = $(GW_LIBS) $(CORE_LIBS)
t_0033_aud_filter_LDADD = $(AUD_LIBS) $(CORE_LIBS)
t_0034_aud_csv_LDADD = $(AUD_LIBS) $(CORE_LIBS)
t_0035_tpl_LDADD = $(AUD_LIBS) $(CORE_LIBS)
t_0036_tpl_fuzz_LDADD = $(AUD_LIBS) $(CORE_LIBS)
# The image test crafts PNG chunks with zlib's crc32 and compress2.
t_0060_image_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
t_0072_qr_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
t_0081_ipallow_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
t_0127_hosts_map_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
t_0082_apidoc_LDADD = $(API_LIBS) $(WEB_LIBS) $(GW_LIBS) $(CORE_LIBS)

# Tools the shell tests run (not tests themselves).
TEST_TOOLS = t/mkimage t/gwcall t/qrsvg t/apikeygen t/modcheck t/dbtx \
	t/imupload t/bcastcount
t_bcastcount_LDADD = $(AUD_LIBS) $(CORE_LIBS) $(CSV_LIBS)
t_mkimage_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
t_gwcall_LDADD = $(GW_LIBS) $(CORE_LIBS)
t_qrsvg_LDADD = $(PORTAL_LIBS) $(WEB_LIBS) $(CORE_LIBS)
# modcheck sees every program's modules and statements (t/0090).
t_modcheck_SOURCES = t/modcheck.c src/fcgi/modules.c \
	src/fcgi/health.c src/fcgi/csp.c \
	src/dispatch/house.c src/dispatch/send_loop.c \
	src/dispatch/send_claim.c src/dispatch/send_multi.c \
	src/dispatch/probe.c src/dispatch/receipt.c src/dispatch/check.c \
	src/ctl/ctl_account.c src/ctl/ctl_dealer.c src/ctl/ctl_package.c \
	src/ctl/ctl_user.c src/ctl/ctl_passwd.c src/ctl/ctl_table.c \
	src/ctl/ctl_host.c src/ctl/ctl_host_check.c src/ctl/ctl_check.c \
	src/runner/job.c src/runner/import.c src/runner/import_csv.c \
	src/runner/import_row.c src/runner/import_batch.c src/runner/export.c \
	src/runner/bulk.c src/runner/broadcast.c \
	src/runner/bcast_queue.c src/runner/bcast_check.c \
	src/runner/optin.c
t_modcheck_LDADD = $(src_waportal_fcgi_LDADD) $(CSV_LIBS) -lpthread

check_PROGRAMS += $(UNIT_TESTS) $(TEST_TOOLS)

# Shell tests: every t/*.t; a new test adds its file, not a line. They
# start their own stack with t/lib/stack.sh. @SHELL_TESTS@ is GNU make's
# wildcard over t/*.t (configure.ac): automake would otherwise read the
# function call as a list of tests.
#
# make -j starts tests in the order of this list, so the longest ones go
# first and overlap the rest instead of running alone at the end (a
# minute and more each; docs/development.md has the figures).
LONG_TESTS = t/0151-import.t t/0400-browser.t t/0150-contacts.t \
	t/0303-api-contacts.t t/0304-api-imports.t t/0152-import-pages.t \
	t/0110-ctl-accounts.t t/0111-ctl-hosts.t t/0206-hook-messages.t \
	t/0300-api-sql.t t/0130-apikeys.t t/0301-api.t t/0205-send-fleet.t
TESTS += @SHELL_TESTS@ $(UNIT_TESTS)
EXTRA_DIST += t
TEST_EXTENSIONS = .t
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
T_LOG_DRIVER = $(LOG_DRIVER)
T_LOG_COMPILER = $(SHELL)
# WAPORTAL_TEST_SANITIZERS is not empty in a tree built with the
# sanitizers: tests that run no C code of ours beyond what the others run
# (sources, docs, catalog, install, nginx files, the JS, SQL functions,
# ./dev up, the browser's view) skip there and run in the normal tree.
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	WAPORTAL_TEST_SANITIZERS='$(SAN_CFLAGS)'; \
	export top_srcdir top_builddir WAPORTAL_TEST_SANITIZERS;

# The C unit tests once more under valgrind (./dev test runs this in the
# normal tree); a leak or memory error fails the test that caused it.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--suppressions=$(top_srcdir)/t/valgrind.supp
check-valgrind: $(check_PROGRAMS)
	$(MAKE) $(AM_MAKEFLAGS) check-TESTS TESTS='$(UNIT_TESTS)' \
	    LOG_COMPILER='$(VALGRIND)' TEST_SUITE_LOG=test-suite-valgrind.log
.PHONY: check-valgrind
MOSTLYCLEANFILES = test-suite-valgrind.log

# The fresh and the migrated PostgreSQL clusters the stacks copy (t/lib/stack.sh,
# stack_pg_template, stack_pg_migrated) and the lock that makes them one at a time.
clean-local:
	-rm -rf .pg-template-* .pg-template.*
