# src/api/local.mk: libwaapi.a, the REST API v1 and its reference pages.
noinst_LIBRARIES += src/api/libwaapi.a
src_api_libwaapi_a_SOURCES = \
	src/api/api.c src/api/api.h \
	src/api/api_auth.c \
	src/api/api_messages.c src/api/api_msg_read.c \
	src/api/api_instances.c \
	src/api/api_contacts.c src/api/api_tags.c src/api/api_fields.c \
	src/api/api_groups.c \
	src/api/api_templates.c \
	src/api/api_broadcasts.c \
	src/api/api_usage.c src/api/api_sub_analytics.c \
	src/api/api_imports.c \
	src/api/api_exports.c \
	src/api/apidoc.c src/api/apidoc.h src/api/apidoc_ex.c \
	src/api/page_apidocs.c

# The OpenAPI document, WAPORTAL_OPENAPI's default.
apidocsdir = $(pkgdatadir)/api
dist_apidocs_DATA = docs/openapi.json
