/* modules.c: the modules waportal-fcgi serves, one line each; their routes are matched in this order. */
#include <stddef.h>

#include "web/module.h"
#include "modules.h"

/*
 * Each X(name) is the struct module name_module of one file (its
 * routes, statements and template strings). A route listed earlier
 * wins a path that two patterns match.
 */
#define FCGI_MODULES(X) \
	X(health)	/* health.c: /healthz, /readyz */ \
	X(csp)		/* csp.c: the browsers' CSP reports */ \
	X(session)	/* web/session.c: the sessions' statements */ \
	X(shell)	/* portal/shell.c: the frame's strings */ \
	X(home)		/* portal/page_home.c: landing page, language */ \
	X(throttle)	/* portal/throttle.c: failed password checks */ \
	X(login)	/* portal/page_login.c: sign in, sign out */ \
	X(dashboard)	/* portal/page_dashboard.c: the dashboard */ \
	X(profile)	/* portal/page_profile.c: profile, time zone */ \
	X(password)	/* portal/page_password.c: password change */ \
	X(avatar)	/* portal/page_avatar.c: the picture */ \
	X(tzlist)	/* portal/tzlist.c: the time zones' statement */ \
	X(hosts)	/* portal/page_hosts.c: hosts page, live figures */ \
	X(instance_gw)	/* portal/instance_gw.c: one instance, its gateway */ \
	X(instances)	/* portal/page_instances.c: /whatsapp, link one */ \
	X(instance)	/* portal/page_instance.c: one, pairing, live.json */ \
	X(instance_limits) /* portal/page_instance_limits.c: daily cap */ \
	X(instance_action) /* portal/page_instance_action.c: after instance */ \
	X(msg_list)	/* portal/page_msg_list.c: lists, one message */ \
	X(messages)	/* portal/page_messages.c: the tabs, one message */ \
	X(msg_add)	/* portal/page_msg_add.c: the Queue tab's form */ \
	X(msg_cancel)	/* portal/page_msg_cancel.c: cancel a message */ \
	X(import)	/* portal/page_import.c: upload a CSV, map, start */ \
	X(import_map)	/* portal/page_import_map.c: mapping, preview */ \
	X(import_run)	/* portal/page_import_run.c: progress, cancel */ \
	X(exports)	/* portal/page_exports.c: background exports */ \
	X(bulk_job)	/* portal/page_bulk_job.c: bulk changes as jobs */ \
	X(apikeys)	/* portal/page_apikeys.c: API keys, create one */ \
	X(apikey_action) /* portal/page_apikey_action.c: on/off, rotate */ \
	X(contacts_ctx)	/* portal/contacts.c: tags, fields, counters */ \
	X(contacts)	/* portal/page_contacts.c: the list, filters, pages */ \
	X(contact_bulk)	/* portal/page_contact_bulk.c: the selection's actions */ \
	X(contact_form)	/* portal/page_contact_form.c: add, edit */ \
	X(contact)	/* portal/page_contact.c: one contact, delete it */ \
	X(contact_tags)	/* portal/page_contact_tags.c: tags */ \
	X(contact_fields) /* portal/page_contact_fields.c: custom fields */ \
	X(groups)	/* portal/page_groups.c: contact groups */ \
	X(templates)	/* portal/page_templates.c: message templates */ \
	X(template_edit) /* portal/page_templates_edit.c: edit, preview */ \
	X(group_optin)	/* portal/page_group_optin.c: a list's pending members */ \
	X(optin_job)	/* portal/page_optin_job.c: resend to all as a job */ \
	X(subscriptions) /* portal/page_subscriptions.c: keywords and replies */ \
	X(sub_analytics) /* portal/page_sub_analytics.c: opt-ins, opt-outs */ \
	X(broadcasts)	/* portal/page_broadcasts.c: list, page, actions */ \
	X(broadcasts_new) /* portal/page_broadcasts_new.c: form, check, start */ \
	X(bcast_brakes)	/* portal/page_bcast_brakes.c: broadcast brakes */ \
	X(apidocs)	/* api/page_apidocs.c: API reference, openapi.json */ \
	X(api_auth)	/* api/api_auth.c: the API's key check, usage count */ \
	X(api_messages)	/* api/api_messages.c: POST /api/v1/messages */ \
	X(api_msg_read)	/* api/api_msg_read.c: list, get, cancel messages */ \
	X(api_instances) /* api/api_instances.c: /api/v1/instances */ \
	X(api_usage)	/* api/api_usage.c: /api/v1/usage */ \
	X(api_sub_analytics) /* api/api_sub_analytics.c: consent figures */ \
	X(api_imports)	/* api/api_imports.c: /api/v1/contacts/imports */ \
	X(api_exports)	/* api/api_exports.c: /api/v1/contacts/exports */ \
	X(api_contacts) /* api/api_contacts.c: /api/v1/contacts */ \
	X(api_tags)	/* api/api_tags.c: /api/v1/tags */ \
	X(api_fields)	/* api/api_fields.c: /api/v1/contact-fields */ \
	X(api_groups)	/* api/api_groups.c: /api/v1/contact-groups */ \
	X(api_templates) /* api/api_templates.c: /api/v1/templates */ \
	X(api_broadcasts) /* api/api_broadcasts.c: /api/v1/broadcasts */ \
	X(hook)		/* hook/hook_waha.c: the gateways' webhooks */ \
	X(hook_msg)	/* hook/hook_msg.c: their message events */

#define FCGI_EXTERN(m)	extern const struct module m##_module;
#define FCGI_ENTRY(m)	&m##_module,

FCGI_MODULES(FCGI_EXTERN)

const struct module *const fcgi_modules[] = {
	FCGI_MODULES(FCGI_ENTRY)
	NULL
};
