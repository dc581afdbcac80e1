/* shell.c: the portal's frame (header, sidebar, footer, error page) and the words several pages share, as template strings. */
#include <stddef.h>

#include "web/i18n.h"
#include "web/module.h"

/* The strings of layout_*, app_* and error.mustache and shared labels. */
static const struct i18n_key shell_strings[] = {
	T_("skip_to_content", "Skip to content"),
	T_("brand_home", "waportal home"),
	T_("nav_label", "Main"),
	T_("nav_features", "Features"),
	T_("nav_sign_in", "Sign in"),
	T_("nav_home", "Home"),
	T_("sign_in", "Sign in"),
	T_("footer_nav_label", "Footer"),
	T_("back_home", "Back to the home page"),
	T_("back_dashboard", "Back to the dashboard"),
	T_("sign_out", "Sign out"),
	T_("sections_label", "Sections"),
	T_("menu", "Menu"),
	T_("nav_dashboard", "Dashboard"),
	T_("nav_whatsapp", "WhatsApp"),
	T_("nav_hosts", "Hosts"),
	T_("nav_contacts", "Contacts"),
	T_("nav_templates", "Templates"),
	T_("nav_broadcasts", "Broadcasts"),
	T_("nav_api_keys", "API keys"),
	T_("nav_profile", "Profile"),
	T_("email", "Email"),
	T_("phone", "Phone"),
	T_("address", "Address"),
	T_("name", "Name"),
	T_("optional", "optional"),
	T_("required", "required"),
	T_("hosts_empty",
	    "No gateway hosts yet. Your provider adds them; ask your dealer."),
	T_("host_free", "Free"),
	T_("inst_host", "Host"),
	T_("inst_link", "Link a number"),
	T_("ad_nav", "API docs"),
	T_("mp_times_in", "Times are in"),
	T_("live_refresh", "Refresh"),
	T_("live_paused", "Updates are paused while this tab is hidden."),
	T_("live_retry", "Could not update just now; trying again shortly."),
};

const struct module shell_module = {
	.name = "shell",
	MODULE_STRINGS(shell_strings),
};
