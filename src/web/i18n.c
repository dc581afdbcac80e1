/* i18n.c: the languages offered and every translated interface string, in one table. */
#include <string.h>

#include <json-c/json.h>

#include "i18n.h"

const char *const i18n_lang_codes[LANG__MAX] = {
	[LANG_EN] = "en",
	[LANG_ID] = "id",
};

/* Each string: the key templates use ({{t.key}}), then its translations. */
static const struct i18n_msg {
	const char	*key;
	const char	*text[LANG__MAX];
} i18n_msgs[MSG__MAX] = {
	[MSG_HOME_TITLE] = { "home_title", {
	    "WhatsApp messaging for your business",
	    "Pesan WhatsApp untuk bisnis Anda" } },
	[MSG_SKIP] = { "skip_to_content", {
	    "Skip to content", "Langsung ke konten" } },
	[MSG_BRAND_HOME] = { "brand_home", {
	    "waportal home", "Beranda waportal" } },
	[MSG_NAV_LABEL] = { "nav_label", {
	    "Main", "Utama" } },
	[MSG_NAV_FEATURES] = { "nav_features", {
	    "Features", "Fitur" } },
	[MSG_NAV_SIGN_IN] = { "nav_sign_in", {
	    "Sign in", "Masuk" } },
	[MSG_NAV_HOME] = { "nav_home", {
	    "Home", "Beranda" } },
	[MSG_HERO_TITLE] = { "hero_title", {
	    "WhatsApp messaging for your business",
	    "Pesan WhatsApp untuk bisnis Anda" } },
	[MSG_HERO_LEAD] = { "hero_lead", {
	    "Link your numbers by scanning a QR code, keep your contacts in "
	    "one place, and send, schedule and broadcast messages from the "
	    "browser or through a REST API.",
	    "Hubungkan nomor Anda dengan memindai kode QR, simpan kontak di "
	    "satu tempat, lalu kirim, jadwalkan, dan siarkan pesan dari "
	    "peramban atau melalui REST API." } },
	[MSG_SIGN_IN] = { "sign_in", {
	    "Sign in", "Masuk" } },
	[MSG_LEARN_MORE] = { "learn_more", {
	    "See what it does", "Lihat fiturnya" } },
	[MSG_LANGUAGE_LABEL] = { "language_label", {
	    "Language", "Bahasa" } },
	[MSG_FEATURES_TITLE] = { "features_title", {
	    "Everything in one portal", "Semua dalam satu portal" } },
	[MSG_F_LINK_TITLE] = { "feature_link_title", {
	    "Link numbers by QR", "Tautkan nomor lewat QR" } },
	[MSG_F_LINK_TEXT] = { "feature_link_text", {
	    "Pick a gateway host with free capacity in the location you "
	    "want and scan the code with WhatsApp.",
	    "Pilih server gateway yang masih punya kapasitas di lokasi yang "
	    "Anda mau, lalu pindai kodenya dengan WhatsApp." } },
	[MSG_F_CONTACTS_TITLE] = { "feature_contacts_title", {
	    "Contacts and groups", "Kontak dan grup" } },
	[MSG_F_CONTACTS_TEXT] = { "feature_contacts_text", {
	    "Import and export CSV, tag, search and group contacts, with "
	    "opt-in and opt-out kept for you.",
	    "Impor dan ekspor CSV, beri tag, cari, dan kelompokkan kontak; "
	    "opt-in dan opt-out tercatat otomatis." } },
	[MSG_F_SCHEDULE_TITLE] = { "feature_schedule_title", {
	    "Queue and schedule", "Antrean dan jadwal" } },
	[MSG_F_SCHEDULE_TEXT] = { "feature_schedule_text", {
	    "Messages go out paced per number, at the time you choose, in "
	    "your time zone.",
	    "Pesan dikirim bertahap per nomor, pada waktu yang Anda pilih, "
	    "sesuai zona waktu Anda." } },
	[MSG_F_BROADCAST_TITLE] = { "feature_broadcast_title", {
	    "Broadcasts", "Siaran" } },
	[MSG_F_BROADCAST_TEXT] = { "feature_broadcast_text", {
	    "Reach your subscribers and contact groups without bursts that "
	    "put your number at risk.",
	    "Jangkau pelanggan dan grup kontak tanpa lonjakan yang "
	    "membahayakan nomor Anda." } },
	[MSG_F_STATUS_TITLE] = { "feature_status_title", {
	    "Delivery you can see", "Status pengiriman yang jelas" } },
	[MSG_F_STATUS_TEXT] = { "feature_status_text", {
	    "Follow each message from queued to sent, delivered and read, "
	    "and see replies as they arrive.",
	    "Pantau setiap pesan dari antre hingga terkirim, diterima, dan "
	    "dibaca, serta lihat balasan yang masuk." } },
	[MSG_F_API_TITLE] = { "feature_api_title", {
	    "REST API with scoped keys", "REST API dengan kunci terbatas" } },
	[MSG_F_API_TEXT] = { "feature_api_text", {
	    "Send from your own systems with API keys that carry "
	    "permissions, expiry and rate limits.",
	    "Kirim dari sistem Anda sendiri dengan kunci API yang punya "
	    "izin, masa berlaku, dan batas laju." } },
	[MSG_CTA_TITLE] = { "cta_title", {
	    "Already a customer?", "Sudah menjadi pelanggan?" } },
	[MSG_CTA_TEXT] = { "cta_text", {
	    "Sign in with the account your dealer created for you.",
	    "Masuk dengan akun yang dibuat oleh dealer Anda." } },
	[MSG_FOOTER_NAV] = { "footer_nav_label", {
	    "Footer", "Kaki halaman" } },
	[MSG_BACK_HOME] = { "back_home", {
	    "Back to the home page", "Kembali ke beranda" } },
	[MSG_SIGN_OUT] = { "sign_out", {
	    "Sign out",
	    "Keluar" } },
	[MSG_SECTIONS_LABEL] = { "sections_label", {
	    "Sections",
	    "Bagian" } },
	[MSG_MENU] = { "menu", {
	    "Menu",
	    "Menu" } },
	[MSG_NAV_DASHBOARD] = { "nav_dashboard", {
	    "Dashboard",
	    "Dasbor" } },
	[MSG_NAV_WHATSAPP] = { "nav_whatsapp", {
	    "WhatsApp",
	    "WhatsApp" } },
	[MSG_NAV_HOSTS] = { "nav_hosts", {
	    "Hosts",
	    "Server" } },
	[MSG_NAV_CONTACTS] = { "nav_contacts", {
	    "Contacts",
	    "Kontak" } },
	[MSG_NAV_API_KEYS] = { "nav_api_keys", {
	    "API keys",
	    "Kunci API" } },
	[MSG_NAV_PROFILE] = { "nav_profile", {
	    "Profile",
	    "Profil" } },
	[MSG_SOON] = { "soon", {
	    "soon",
	    "segera" } },
	[MSG_LOGIN_TITLE] = { "login_title", {
	    "Sign in to waportal",
	    "Masuk ke waportal" } },
	[MSG_LOGIN_LEAD] = { "login_lead", {
	    "Use the email address and password your dealer set up for you.",
	    "Gunakan alamat email dan kata sandi yang disiapkan dealer Anda." } },
	[MSG_EMAIL] = { "email", {
	    "Email",
	    "Email" } },
	[MSG_PASSWORD] = { "password", {
	    "Password",
	    "Kata sandi" } },
	[MSG_PACKAGE_TITLE] = { "package_title", {
	    "Your package",
	    "Paket Anda" } },
	[MSG_PACKAGE_EXPIRED] = { "package_expired", {
	    "expired",
	    "kedaluwarsa" } },
	[MSG_PACKAGE_EXPIRING] = { "package_expiring", {
	    "expiring soon",
	    "segera berakhir" } },
	[MSG_PACKAGE_ACTIVE] = { "package_active", {
	    "active",
	    "aktif" } },
	[MSG_PACKAGE_EXPIRES] = { "package_expires", {
	    "Expires",
	    "Berakhir" } },
	[MSG_DAYS_LEFT] = { "days_left", {
	    "days left",
	    "hari lagi" } },
	[MSG_LIMIT_INSTANCES] = { "limit_instances", {
	    "WhatsApp numbers",
	    "Nomor WhatsApp" } },
	[MSG_LIMIT_CONTACTS] = { "limit_contacts", {
	    "Contacts",
	    "Kontak" } },
	[MSG_LIMIT_MESSAGES] = { "limit_messages", {
	    "Messages per month",
	    "Pesan per bulan" } },
	[MSG_LIMIT_API_KEYS] = { "limit_api_keys", {
	    "API keys",
	    "Kunci API" } },
	[MSG_LIMIT_API_RPM] = { "limit_api_rpm", {
	    "API requests per minute",
	    "Permintaan API per menit" } },
	[MSG_PRICE] = { "price", {
	    "Price",
	    "Harga" } },
	[MSG_NO_PACKAGE] = { "no_package", {
	    "No active package. Ask your dealer to assign one.",
	    "Belum ada paket aktif. Minta dealer Anda untuk menetapkannya." } },
	[MSG_DEALER_TITLE] = { "dealer_title", {
	    "Your dealer",
	    "Dealer Anda" } },
	[MSG_DEALER_CONTACT] = { "dealer_contact", {
	    "Contact person",
	    "Narahubung" } },
	[MSG_PHONE] = { "phone", {
	    "Phone",
	    "Telepon" } },
	[MSG_ADDRESS] = { "address", {
	    "Address",
	    "Alamat" } },
	[MSG_LOGIN_FAILED] = { "login_failed", {
	    "The email address or password is incorrect.",
	    "Alamat email atau kata sandi salah." } },
	[MSG_LOGIN_THROTTLED] = { "login_throttled", {
	    "Too many failed sign-ins. Please wait a few minutes and try again.",
	    "Terlalu banyak percobaan masuk yang gagal. Tunggu beberapa "
	    "menit lalu coba lagi." } },
	[MSG_LOGIN_ROLE] = { "login_role", {
	    "This portal is for customers. Please use the dealer or admin tools.",
	    "Portal ini untuk pelanggan. Gunakan alat dealer atau admin." } },
	[MSG_FLASH_SIGNED_OUT] = { "flash_signed_out", {
	    "You have signed out.",
	    "Anda telah keluar." } },
	[MSG_FLASH_SIGNED_IN] = { "flash_signed_in", {
	    "Welcome back.",
	    "Selamat datang kembali." } },
	[MSG_FLASH_PROFILE_SAVED] = { "flash_profile_saved", {
	    "Your profile is saved.",
	    "Profil Anda tersimpan." } },
	[MSG_FLASH_PASSWORD_CHANGED] = { "flash_password_changed", {
	    "Your password is changed. Every other session has been signed out.",
	    "Kata sandi Anda telah diubah. Semua sesi lain telah dikeluarkan." } },
	[MSG_FLASH_AVATAR_SAVED] = { "flash_avatar_saved", {
	    "Your picture is updated.",
	    "Foto Anda diperbarui." } },
	[MSG_FLASH_AVATAR_REMOVED] = { "flash_avatar_removed", {
	    "Your picture is removed.",
	    "Foto Anda dihapus." } },
	[MSG_PROFILE_LEAD] = { "profile_lead", {
	    "Your details, your language and your password.",
	    "Data Anda, bahasa Anda, dan kata sandi Anda." } },
	[MSG_PROFILE_DETAILS] = { "profile_details", {
	    "Details",
	    "Data diri" } },
	[MSG_NAME] = { "name", {
	    "Name",
	    "Nama" } },
	[MSG_MOBILE] = { "mobile", {
	    "Mobile",
	    "Ponsel" } },
	[MSG_LANGUAGE] = { "language", {
	    "Language",
	    "Bahasa" } },
	[MSG_NOTES] = { "notes", {
	    "Notes",
	    "Catatan" } },
	[MSG_CURRENT_PASSWORD] = { "current_password", {
	    "Current password",
	    "Kata sandi saat ini" } },
	[MSG_EMAIL_CHANGE_HINT] = { "email_change_hint", {
	    "Needed only when you change your email address.",
	    "Hanya diperlukan saat Anda mengubah alamat email." } },
	[MSG_PHONE_HINT] = { "phone_hint", {
	    "International (+62 812 3456 7890) or national (0812 3456 7890).",
	    "Internasional (+62 812 3456 7890) atau nasional (0812 3456 7890)." } },
	[MSG_SAVE] = { "save", {
	    "Save",
	    "Simpan" } },
	[MSG_CHANGE_PASSWORD] = { "change_password", {
	    "Change password",
	    "Ubah kata sandi" } },
	[MSG_NEW_PASSWORD] = { "new_password", {
	    "New password",
	    "Kata sandi baru" } },
	[MSG_NEW_PASSWORD_HINT] = { "new_password_hint", {
	    "8 to 1024 characters. Other sessions will be signed out.",
	    "8 sampai 1024 karakter. Sesi lain akan dikeluarkan." } },
	[MSG_CONFIRM_PASSWORD] = { "confirm_password", {
	    "New password again",
	    "Ulangi kata sandi baru" } },
	[MSG_AVATAR] = { "avatar", {
	    "Picture",
	    "Foto" } },
	[MSG_AVATAR_HINT] = { "avatar_hint", {
	    "PNG, JPEG or WebP, at most 2 MiB. It is cropped to a square.",
	    "PNG, JPEG, atau WebP, maksimal 2 MiB. Dipotong menjadi persegi." } },
	[MSG_UPLOAD] = { "upload", {
	    "Upload",
	    "Unggah" } },
	[MSG_REMOVE_AVATAR] = { "remove_avatar", {
	    "Remove picture",
	    "Hapus foto" } },
	[MSG_FORM_ERRORS] = { "form_errors", {
	    "Some fields need your attention. Nothing was saved.",
	    "Beberapa kolom perlu diperbaiki. Belum ada yang disimpan." } },
	[MSG_OPTIONAL] = { "optional", {
	    "optional",
	    "opsional" } },
	[MSG_REQUIRED] = { "required", {
	    "required",
	    "wajib" } },
	[MSG_HOST_UP] = { "host_up", {
	    "up",
	    "aktif" } },
	[MSG_HOST_DEGRADED] = { "host_degraded", {
	    "degraded",
	    "terganggu" } },
	[MSG_HOST_DOWN] = { "host_down", {
	    "down",
	    "mati" } },
	[MSG_HOST_UNKNOWN] = { "host_unknown", {
	    "not checked yet",
	    "belum diperiksa" } },
	[MSG_HOSTS_LEAD] = { "hosts_lead", {
	    "The gateway servers your WhatsApp numbers can run on, and how much room each has.",
	    "Server gateway tempat nomor WhatsApp Anda dapat berjalan, dan sisa kapasitas masing-masing." } },
	[MSG_HOSTS_EMPTY] = { "hosts_empty", {
	    "No gateway hosts yet. Your provider adds them; ask your dealer.",
	    "Belum ada server gateway. Penyedia layanan yang menambahkannya; tanyakan dealer Anda." } },
	[MSG_HOST_USED] = { "host_used", {
	    "Numbers in use",
	    "Nomor terpakai" } },
	[MSG_HOST_FREE] = { "host_free", {
	    "Free",
	    "Tersisa" } },
	[MSG_HOST_FULL] = { "host_full", {
	    "full",
	    "penuh" } },
	[MSG_HOST_LATENCY] = { "host_latency", {
	    "Latency",
	    "Latensi" } },
	[MSG_HOST_CHECKED] = { "host_checked", {
	    "Last checked",
	    "Terakhir diperiksa" } },
	[MSG_WHATSAPP_LEAD] = { "whatsapp_lead", {
	    "Your linked WhatsApp numbers, and where to link another.",
	    "Nomor WhatsApp yang tertaut, dan tempat menautkan nomor lain." } },
	[MSG_WHATSAPP_EMPTY] = { "whatsapp_empty", {
	    "No WhatsApp numbers yet. Link one below: pick a host and scan the QR code with your phone.",
	    "Belum ada nomor WhatsApp. Tautkan di bawah: pilih server lalu pindai kode QR dengan ponsel Anda." } },
	[MSG_INST_STATUS] = { "inst_status", {
	    "Status",
	    "Status" } },
	[MSG_INST_HOST] = { "inst_host", {
	    "Host",
	    "Server" } },
	[MSG_INST_CHANGED] = { "inst_changed", {
	    "Last change",
	    "Perubahan terakhir" } },
	[MSG_INST_LINK] = { "inst_link", {
	    "Link a number",
	    "Tautkan nomor" } },
	[MSG_INST_BACK] = { "inst_back", {
	    "All numbers",
	    "Semua nomor" } },
	[MSG_INST_LINKED] = { "inst_linked", {
	    "Linked",
	    "Tertaut" } },
	[MSG_INST_PUSH_NAME] = { "inst_push_name", {
	    "WhatsApp name",
	    "Nama WhatsApp" } },
	[MSG_INST_QR_TITLE] = { "inst_qr_title", {
	    "Scan this code with WhatsApp",
	    "Pindai kode ini dengan WhatsApp" } },
	[MSG_INST_STEP1] = { "inst_step1", {
	    "Open WhatsApp on your phone.",
	    "Buka WhatsApp di ponsel Anda." } },
	[MSG_INST_STEP2] = { "inst_step2", {
	    "Tap Settings (or the menu) → Linked devices → Link a device.",
	    "Ketuk Setelan (atau menu) → Perangkat tertaut → Tautkan perangkat." } },
	[MSG_INST_STEP3] = { "inst_step3", {
	    "Point the phone at this code.",
	    "Arahkan ponsel ke kode ini." } },
	[MSG_INST_QR_REFRESH] = { "inst_qr_refresh", {
	    "The code changes every 20 seconds; this page refreshes itself.",
	    "Kode berganti setiap 20 detik; halaman ini memuat ulang sendiri." } },
	[MSG_INST_QR_ERROR] = { "inst_qr_error", {
	    "The gateway host did not give a code just now; the page will try again.",
	    "Server gateway belum memberi kode; halaman akan mencoba lagi." } },
	[MSG_ST_QR_REQUIRED] = { "st_qr_required", {
	    "QR required",
	    "Perlu QR" } },
	[MSG_ST_CONNECTING] = { "st_connecting", {
	    "connecting",
	    "menghubungkan" } },
	[MSG_ST_CONNECTED] = { "st_connected", {
	    "connected",
	    "terhubung" } },
	[MSG_ST_DISCONNECTED] = { "st_disconnected", {
	    "disconnected",
	    "terputus" } },
	[MSG_ST_FAILED] = { "st_failed", {
	    "failed",
	    "gagal" } },
	[MSG_FLASH_INST_RESTARTED] = { "flash_inst_restarted", {
	    "The number is restarting on its host.",
	    "Nomor sedang dimulai ulang di servernya." } },
	[MSG_FLASH_INST_LOGGED_OUT] = { "flash_inst_logged_out", {
	    "The number is logged out; scan a new QR code to link it again.",
	    "Nomor telah keluar; pindai kode QR baru untuk menautkannya lagi." } },
	[MSG_FLASH_INST_DELETED] = { "flash_inst_deleted", {
	    "The number is deleted from its host and from waportal.",
	    "Nomor telah dihapus dari server dan dari waportal." } },
	[MSG_FLASH_GATEWAY_ERROR] = { "flash_gateway_error", {
	    "The gateway host did not carry that out; nothing changed. Try again in a minute.",
	    "Server gateway tidak menjalankannya; tidak ada yang berubah. Coba lagi sebentar lagi." } },
	[MSG_INST_RESTART] = { "inst_restart", {
	    "Restart",
	    "Mulai ulang" } },
	[MSG_INST_LOGOUT] = { "inst_logout", {
	    "Log out",
	    "Keluarkan" } },
	[MSG_INST_DELETE] = { "inst_delete", {
	    "Delete",
	    "Hapus" } },
	[MSG_INST_ACTIONS] = { "inst_actions", {
	    "Actions",
	    "Tindakan" } },
	[MSG_INST_CONFIRM_RESTART] = { "inst_confirm_restart", {
	    "Restart this number's session on its host? It reconnects by itself.",
	    "Mulai ulang sesi nomor ini di servernya? Nomor akan tersambung sendiri." } },
	[MSG_INST_CONFIRM_LOGOUT] = { "inst_confirm_logout", {
	    "Log this number out? WhatsApp unlinks it and you need to scan a new QR code.",
	    "Keluarkan nomor ini? WhatsApp melepas tautannya dan Anda perlu memindai kode QR baru." } },
	[MSG_INST_CONFIRM_DELETE] = { "inst_confirm_delete", {
	    "Delete this number? Its session is removed from the host and it disappears from waportal.",
	    "Hapus nomor ini? Sesinya dihapus dari server dan hilang dari waportal." } },
	[MSG_CANCEL] = { "cancel", {
	    "Cancel",
	    "Batal" } },
	[MSG_INST_PAIRING_TITLE] = { "inst_pairing_title", {
	    "Or link with a code",
	    "Atau tautkan dengan kode" } },
	[MSG_INST_PAIRING_PHONE] = { "inst_pairing_phone", {
	    "The WhatsApp number to link",
	    "Nomor WhatsApp yang akan ditautkan" } },
	[MSG_INST_PAIRING_GET] = { "inst_pairing_get", {
	    "Get a pairing code",
	    "Minta kode penautan" } },
	[MSG_INST_PAIRING_STEPS] = { "inst_pairing_steps", {
	    "On the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead, then type this code.",
	    "Di ponsel: WhatsApp → Perangkat tertaut → Tautkan perangkat → Tautkan dengan nomor telepon, lalu ketik kode ini." } },
	/* --- block: api docs --- */
	[MSG_AD_NAV] = { "ad_nav", {
	    "API docs",
	    "Dokumentasi API" } },
	[MSG_AD_TITLE] = { "ad_title", {
	    "API documentation",
	    "Dokumentasi API" } },
	[MSG_AD_INTRO] = { "ad_intro", {
	    "The REST API lets your own software send and read WhatsApp messages. Send your key in the Authorization header as a Bearer token.",
	    "REST API memungkinkan perangkat lunak Anda mengirim dan membaca pesan WhatsApp. Kirim kunci Anda di header Authorization sebagai token Bearer." } },
	[MSG_AD_BASE] = { "ad_base", {
	    "Base URL",
	    "URL dasar" } },
	[MSG_AD_RPM] = { "ad_rpm", {
	    "Rate limit of your package (requests a minute)",
	    "Batas laju paket Anda (permintaan per menit)" } },
	[MSG_AD_QUOTA] = { "ad_quota", {
	    "Messages a month",
	    "Pesan per bulan" } },
	[MSG_AD_NO_PACKAGE] = { "ad_no_package", {
	    "You have no active package: the API answers 403 until you have one.",
	    "Anda tidak punya paket aktif: API menjawab 403 sampai Anda memilikinya." } },
	[MSG_AD_KEY_HINT] = { "ad_key_hint", {
	    "The examples read your key from the WAPORTAL_KEY environment variable; create one on the API keys page.",
	    "Contoh membaca kunci Anda dari variabel lingkungan WAPORTAL_KEY; buat kunci di halaman Kunci API." } },
	[MSG_AD_SCOPE] = { "ad_scope", {
	    "Scope",
	    "Cakupan" } },
	[MSG_AD_ANY_KEY] = { "ad_any_key", {
	    "any key",
	    "kunci apa saja" } },
	[MSG_AD_PARAMS] = { "ad_params", {
	    "Parameters",
	    "Parameter" } },
	[MSG_AD_BODY] = { "ad_body", {
	    "Request body (JSON)",
	    "Isi permintaan (JSON)" } },
	[MSG_AD_RESPONSES] = { "ad_responses", {
	    "Responses",
	    "Respons" } },
	[MSG_AD_COL_NAME] = { "ad_col_name", {
	    "Name",
	    "Nama" } },
	[MSG_AD_COL_IN] = { "ad_col_in", {
	    "In",
	    "Di" } },
	[MSG_AD_COL_TYPE] = { "ad_col_type", {
	    "Type",
	    "Tipe" } },
	[MSG_AD_COL_DESC] = { "ad_col_desc", {
	    "Description",
	    "Keterangan" } },
	[MSG_AD_COL_STATUS] = { "ad_col_status", {
	    "Status",
	    "Status" } },
	[MSG_AD_REQUIRED] = { "ad_required", {
	    "required",
	    "wajib" } },
	[MSG_AD_EXAMPLES] = { "ad_examples", {
	    "Examples",
	    "Contoh" } },
	[MSG_AD_TRY] = { "ad_try", {
	    "Try it",
	    "Coba" } },
	[MSG_AD_TRY_INTRO] = { "ad_try_intro", {
	    "Paste a key and send a request from your browser. The key is not stored.",
	    "Tempel kunci dan kirim permintaan dari peramban Anda. Kunci tidak disimpan." } },
	[MSG_AD_TRY_NOJS] = { "ad_try_nojs", {
	    "Trying requests here needs JavaScript; use the curl examples instead.",
	    "Mencoba permintaan di sini memerlukan JavaScript; gunakan contoh curl." } },
	[MSG_AD_TRY_KEY] = { "ad_try_key", {
	    "API key",
	    "Kunci API" } },
	[MSG_AD_TRY_REQ] = { "ad_try_req", {
	    "Request",
	    "Permintaan" } },
	[MSG_AD_TRY_SEND] = { "ad_try_send", {
	    "Send",
	    "Kirim" } },
	[MSG_AD_TRY_RESULT] = { "ad_try_result", {
	    "Answer",
	    "Jawaban" } },
	[MSG_AD_PROBLEMS] = { "ad_problems", {
	    "Problem types",
	    "Jenis masalah" } },
	[MSG_AD_PROBLEMS_INTRO] = { "ad_problems_intro", {
	    "Every refusal is application/problem+json. Its type is a link to its row below, /docs/api#problem-SLUG; the slug is stable: switch on it, not on the title or detail.",
	    "Setiap penolakan berupa application/problem+json. Type-nya adalah tautan ke barisnya di bawah, /docs/api#problem-SLUG; slug-nya tetap: pilih tindakan berdasarkan slug, bukan judul atau detail." } },
	[MSG_AD_NO_KEY] = { "ad_no_key", {
	    "no key needed",
	    "tanpa kunci" } },
	[MSG_AD_SIGN_IN] = { "ad_sign_in", {
	    "Signed in, this page also shows your package's limits and fills the examples with your own ids.",
	    "Setelah masuk, halaman ini juga menampilkan batas paket Anda dan mengisi contoh dengan id Anda sendiri." } },
	/* --- end block: api docs --- */
	/* --- block: api keys --- */
	[MSG_AK_TITLE] = { "ak_title", {
	    "API keys",
	    "Kunci API" } },
	[MSG_AK_INTRO] = { "ak_intro", {
	    "Keys let your own software use the REST API. Each key has its own permissions.",
	    "Kunci memungkinkan perangkat lunak Anda memakai REST API. Setiap kunci punya izinnya sendiri." } },
	[MSG_AK_NEW] = { "ak_new", {
	    "Create a key",
	    "Buat kunci" } },
	[MSG_AK_NAME] = { "ak_name", {
	    "Name",
	    "Nama" } },
	[MSG_AK_SCOPES] = { "ak_scopes", {
	    "Permissions",
	    "Izin" } },
	[MSG_AK_SCOPE_SEND] = { "ak_scope_send", {
	    "Send messages",
	    "Kirim pesan" } },
	[MSG_AK_SCOPE_READ] = { "ak_scope_read", {
	    "Read messages",
	    "Baca pesan" } },
	[MSG_AK_SCOPE_INST] = { "ak_scope_inst", {
	    "Read instances",
	    "Baca instans" } },
	[MSG_AK_SCOPE_CONTACTS] = { "ak_scope_contacts", {
	    "Contacts (coming soon)",
	    "Kontak (segera hadir)" } },
	[MSG_AK_EXPIRES] = { "ak_expires", {
	    "Expires on (optional; the key stops at the start of that day, your time zone)",
	    "Berakhir pada (opsional; kunci berhenti di awal hari itu, zona waktu Anda)" } },
	[MSG_AK_ALLOW] = { "ak_allow", {
	    "Allowed addresses (optional; one IP address or CIDR range a line, up to 32)",
	    "Alamat yang diizinkan (opsional; satu alamat IP atau rentang CIDR per baris, maks. 32)" } },
	[MSG_AK_RPM] = { "ak_rpm", {
	    "Requests a minute (optional; at most your package's)",
	    "Permintaan per menit (opsional; paling banyak sesuai paket)" } },
	[MSG_AK_CREATE] = { "ak_create", {
	    "Create key",
	    "Buat kunci" } },
	[MSG_AK_EMPTY] = { "ak_empty", {
	    "No API keys yet.",
	    "Belum ada kunci API." } },
	[MSG_AK_COUNT] = { "ak_count", {
	    "Keys in use",
	    "Kunci terpakai" } },
	[MSG_AK_COL_NAME] = { "ak_col_name", {
	    "Name",
	    "Nama" } },
	[MSG_AK_COL_KEY] = { "ak_col_key", {
	    "Key",
	    "Kunci" } },
	[MSG_AK_COL_CREATED] = { "ak_col_created", {
	    "Created",
	    "Dibuat" } },
	[MSG_AK_COL_EXPIRES] = { "ak_col_expires", {
	    "Expires",
	    "Berakhir" } },
	[MSG_AK_COL_LAST] = { "ak_col_last", {
	    "Last used",
	    "Terakhir dipakai" } },
	[MSG_AK_COL_STATUS] = { "ak_col_status", {
	    "Status",
	    "Status" } },
	[MSG_AK_COL_USAGE] = { "ak_col_usage", {
	    "Requests, last 30 days",
	    "Permintaan, 30 hari terakhir" } },
	[MSG_AK_COL_ACTIONS] = { "ak_col_actions", {
	    "Actions",
	    "Tindakan" } },
	[MSG_AK_NEVER] = { "ak_never", {
	    "never",
	    "belum pernah" } },
	[MSG_AK_NONE] = { "ak_none", {
	    "none",
	    "tidak ada" } },
	[MSG_AK_ST_ACTIVE] = { "ak_st_active", {
	    "active",
	    "aktif" } },
	[MSG_AK_ST_OFF] = { "ak_st_off", {
	    "off",
	    "nonaktif" } },
	[MSG_AK_ST_EXPIRED] = { "ak_st_expired", {
	    "expired",
	    "kedaluwarsa" } },
	[MSG_AK_ST_RETIRING] = { "ak_st_retiring", {
	    "retiring at",
	    "berhenti pada" } },
	[MSG_AK_ST_RETIRED] = { "ak_st_retired", {
	    "retired",
	    "dihentikan" } },
	[MSG_AK_TURN_OFF] = { "ak_turn_off", {
	    "Turn off",
	    "Matikan" } },
	[MSG_AK_TURN_ON] = { "ak_turn_on", {
	    "Turn on",
	    "Nyalakan" } },
	[MSG_AK_ROTATE] = { "ak_rotate", {
	    "Rotate",
	    "Ganti" } },
	[MSG_AK_DELETE] = { "ak_delete", {
	    "Delete",
	    "Hapus" } },
	[MSG_AK_Q_TOGGLE] = { "ak_q_toggle", {
	    "Turn this key on or off? Calls with an off key are refused until it is turned on again.",
	    "Nyalakan atau matikan kunci ini? Panggilan dengan kunci yang mati ditolak sampai dinyalakan lagi." } },
	[MSG_AK_Q_ROTATE] = { "ak_q_rotate", {
	    "Rotate this key? A new key with the same name and permissions is made and shown once; the old one stops at the time you choose.",
	    "Ganti kunci ini? Kunci baru dengan nama dan izin yang sama dibuat dan ditampilkan sekali; kunci lama berhenti pada waktu yang Anda pilih." } },
	[MSG_AK_Q_DELETE] = { "ak_q_delete", {
	    "Delete this key for good? Calls with it are refused at once.",
	    "Hapus kunci ini selamanya? Panggilan dengannya langsung ditolak." } },
	[MSG_AK_R_WHEN] = { "ak_r_when", {
	    "The old key stops",
	    "Kunci lama berhenti" } },
	[MSG_AK_R_NOW] = { "ak_r_now", {
	    "now",
	    "sekarang" } },
	[MSG_AK_R_1H] = { "ak_r_1h", {
	    "in 1 hour",
	    "dalam 1 jam" } },
	[MSG_AK_R_24H] = { "ak_r_24h", {
	    "in 24 hours",
	    "dalam 24 jam" } },
	[MSG_AK_R_7D] = { "ak_r_7d", {
	    "in 7 days",
	    "dalam 7 hari" } },
	[MSG_AK_KEEP] = { "ak_keep", {
	    "Cancel",
	    "Batal" } },
	[MSG_AK_SHOWN_TITLE] = { "ak_shown_title", {
	    "Your new API key",
	    "Kunci API baru Anda" } },
	[MSG_AK_SHOWN_WARN] = { "ak_shown_warn", {
	    "Copy it now and keep it safe: it will not be shown again.",
	    "Salin sekarang dan simpan dengan aman: kunci ini tidak akan ditampilkan lagi." } },
	[MSG_AK_COPY] = { "ak_copy", {
	    "Copy",
	    "Salin" } },
	[MSG_AK_BACK] = { "ak_back", {
	    "Back to API keys",
	    "Kembali ke kunci API" } },
	[MSG_AK_ERR_NAME] = { "ak_err_name", {
	    "Give the key a name of 1 to 100 characters.",
	    "Beri nama kunci 1 sampai 100 karakter." } },
	[MSG_AK_ERR_SCOPE] = { "ak_err_scope", {
	    "Choose at least one permission.",
	    "Pilih setidaknya satu izin." } },
	[MSG_AK_ERR_EXPIRY] = { "ak_err_expiry", {
	    "Choose a day after today (YYYY-MM-DD), or leave it empty.",
	    "Pilih hari setelah hari ini (YYYY-MM-DD), atau kosongkan." } },
	[MSG_AK_ERR_RPM] = { "ak_err_rpm", {
	    "Requests a minute must be a whole number from 1 to",
	    "Permintaan per menit harus bilangan bulat dari 1 sampai" } },
	[MSG_AK_ERR_IP] = { "ak_err_ip", {
	    "Not an IP address or CIDR range (host bits must be zero) on line",
	    "Bukan alamat IP atau rentang CIDR (bit host harus nol) pada baris" } },
	[MSG_AK_ERR_IP_MANY] = { "ak_err_ip_many", {
	    "At most 32 addresses; too many from line",
	    "Paling banyak 32 alamat; terlalu banyak mulai baris" } },
	[MSG_AK_ERR_LIMIT] = { "ak_err_limit", {
	    "Your package allows no more keys; delete one first. Keys:",
	    "Paket Anda tidak mengizinkan kunci lagi; hapus satu dulu. Kunci:" } },
	[MSG_AK_ERR_PACKAGE] = { "ak_err_package", {
	    "Your package has expired: no new keys.",
	    "Paket Anda sudah berakhir: tidak bisa membuat kunci baru." } },
	[MSG_AK_ERR_WHEN] = { "ak_err_when", {
	    "Choose when the old key stops.",
	    "Pilih kapan kunci lama berhenti." } },
	[MSG_AK_CHART] = { "ak_chart", {
	    "Requests a day",
	    "Permintaan per hari" } },
	[MSG_AK_CHART_FROM] = { "ak_chart_from", {
	    "30 days ago",
	    "30 hari lalu" } },
	[MSG_AK_CHART_TO] = { "ak_chart_to", {
	    "today",
	    "hari ini" } },
	[MSG_AK_CHART_ALT] = { "ak_chart_alt", {
	    "requests in 30 days; most in one day:",
	    "permintaan dalam 30 hari; terbanyak dalam sehari:" } },
	/* --- end block: api keys --- */
	/* --- block: message pages --- */
	[MSG_MP_TABS_LABEL] = { "mp_tabs_label", {
	    "WhatsApp sections",
	    "Bagian WhatsApp" } },
	[MSG_MP_TAB_INSTANCES] = { "mp_tab_instances", {
	    "Instances",
	    "Instans" } },
	[MSG_MP_TAB_QUEUE] = { "mp_tab_queue", {
	    "Queue",
	    "Antrean" } },
	[MSG_MP_TAB_SENT] = { "mp_tab_sent", {
	    "Sent",
	    "Terkirim" } },
	[MSG_MP_TAB_RECEIVED] = { "mp_tab_received", {
	    "Received",
	    "Diterima" } },
	[MSG_MP_TAB_SCHEDULED] = { "mp_tab_scheduled", {
	    "Scheduled",
	    "Terjadwal" } },
	[MSG_MP_QUEUE_LEAD] = { "mp_queue_lead", {
	    "Messages waiting to go out, and the form to add one.",
	    "Pesan yang menunggu dikirim, dan formulir untuk menambahkannya." } },
	[MSG_MP_SENT_LEAD] = { "mp_sent_lead", {
	    "Messages that have left the queue: sent, delivered, read, failed or cancelled.",
	    "Pesan yang sudah keluar dari antrean: terkirim, sampai, dibaca, gagal, atau dibatalkan." } },
	[MSG_MP_RECEIVED_LEAD] = { "mp_received_lead", {
	    "Messages your numbers received.",
	    "Pesan yang diterima nomor-nomor Anda." } },
	[MSG_MP_SCHEDULED_LEAD] = { "mp_scheduled_lead", {
	    "Messages set to go out at a later time.",
	    "Pesan yang dijadwalkan untuk dikirim nanti." } },
	[MSG_MP_QUEUE_EMPTY] = { "mp_queue_empty", {
	    "Nothing is waiting to go out — add a message below.",
	    "Tidak ada pesan yang menunggu dikirim — tambahkan pesan di bawah." } },
	[MSG_MP_SENT_EMPTY] = { "mp_sent_empty", {
	    "No messages have left the queue yet — add one on the Queue tab.",
	    "Belum ada pesan yang keluar dari antrean — tambahkan pesan di tab Antrean." } },
	[MSG_MP_RECEIVED_EMPTY] = { "mp_received_empty", {
	    "No messages received yet — they appear here when someone writes to one of your numbers.",
	    "Belum ada pesan masuk — pesan muncul di sini saat seseorang menulis ke salah satu nomor Anda." } },
	[MSG_MP_SCHEDULED_EMPTY] = { "mp_scheduled_empty", {
	    "Nothing is scheduled — pick a send time when you add a message on the Queue tab.",
	    "Tidak ada yang terjadwal — pilih waktu kirim saat menambahkan pesan di tab Antrean." } },
	[MSG_MP_FILTERED_EMPTY] = { "mp_filtered_empty", {
	    "No messages match these filters.",
	    "Tidak ada pesan yang cocok dengan filter ini." } },
	[MSG_MP_ST_QUEUED] = { "mp_st_queued", {
	    "queued",
	    "antre" } },
	[MSG_MP_ST_SCHEDULED] = { "mp_st_scheduled", {
	    "scheduled",
	    "terjadwal" } },
	[MSG_MP_ST_SENDING] = { "mp_st_sending", {
	    "sending",
	    "mengirim" } },
	[MSG_MP_ST_SENT] = { "mp_st_sent", {
	    "sent",
	    "terkirim" } },
	[MSG_MP_ST_DELIVERED] = { "mp_st_delivered", {
	    "delivered",
	    "sampai" } },
	[MSG_MP_ST_READ] = { "mp_st_read", {
	    "read",
	    "dibaca" } },
	[MSG_MP_ST_FAILED] = { "mp_st_failed", {
	    "failed",
	    "gagal" } },
	[MSG_MP_ST_CANCELLED] = { "mp_st_cancelled", {
	    "cancelled",
	    "dibatalkan" } },
	[MSG_MP_ST_RECEIVED] = { "mp_st_received", {
	    "received",
	    "diterima" } },
	[MSG_MP_COL_TO] = { "mp_col_to", {
	    "To",
	    "Kepada" } },
	[MSG_MP_COL_FROM] = { "mp_col_from", {
	    "From",
	    "Dari" } },
	[MSG_MP_COL_NUMBER] = { "mp_col_number", {
	    "Your number",
	    "Nomor Anda" } },
	[MSG_MP_COL_TEXT] = { "mp_col_text", {
	    "Text",
	    "Teks" } },
	[MSG_MP_COL_STATUS] = { "mp_col_status", {
	    "Status",
	    "Status" } },
	[MSG_MP_COL_TIMES] = { "mp_col_times", {
	    "Times",
	    "Waktu" } },
	[MSG_MP_COL_ACTIONS] = { "mp_col_actions", {
	    "Actions",
	    "Aksi" } },
	[MSG_MP_T_ADDED] = { "mp_t_added", {
	    "Added",
	    "Ditambahkan" } },
	[MSG_MP_T_SEND_AT] = { "mp_t_send_at", {
	    "Send at",
	    "Kirim pada" } },
	[MSG_MP_T_SENT] = { "mp_t_sent", {
	    "Sent",
	    "Terkirim" } },
	[MSG_MP_T_DELIVERED] = { "mp_t_delivered", {
	    "Delivered",
	    "Sampai" } },
	[MSG_MP_T_READ] = { "mp_t_read", {
	    "Read",
	    "Dibaca" } },
	[MSG_MP_T_FAILED] = { "mp_t_failed", {
	    "Failed",
	    "Gagal" } },
	[MSG_MP_T_CANCELLED] = { "mp_t_cancelled", {
	    "Cancelled",
	    "Dibatalkan" } },
	[MSG_MP_T_RECEIVED] = { "mp_t_received", {
	    "Received",
	    "Diterima" } },
	[MSG_MP_TRIES] = { "mp_tries", {
	    "Tries",
	    "Percobaan" } },
	[MSG_MP_REASON] = { "mp_reason", {
	    "Reason",
	    "Alasan" } },
	[MSG_MP_NUMBER_GONE] = { "mp_number_gone", {
	    "deleted number",
	    "nomor terhapus" } },
	[MSG_MP_SHOW_ALL] = { "mp_show_all", {
	    "Show all",
	    "Tampilkan semua" } },
	[MSG_MP_DETAILS] = { "mp_details", {
	    "Details",
	    "Rincian" } },
	[MSG_MP_CANCEL_MSG] = { "mp_cancel_msg", {
	    "Cancel message",
	    "Batalkan pesan" } },
	[MSG_MP_KEEP_MSG] = { "mp_keep_msg", {
	    "Keep it",
	    "Biarkan" } },
	[MSG_MP_CONFIRM_CANCEL] = { "mp_confirm_cancel", {
	    "Cancel this message? It will not be sent, and its place in this month's quota is given back.",
	    "Batalkan pesan ini? Pesan tidak akan dikirim, dan tempatnya di kuota bulan ini dikembalikan." } },
	[MSG_MP_TOO_LATE] = { "mp_too_late", {
	    "Too late to cancel: the message is already being sent or has been sent.",
	    "Terlambat untuk membatalkan: pesan sedang atau sudah dikirim." } },
	[MSG_MP_BACK] = { "mp_back", {
	    "Back to the list",
	    "Kembali ke daftar" } },
	[MSG_MP_MESSAGE] = { "mp_message", {
	    "Message",
	    "Pesan" } },
	[MSG_MP_FILTER_LABEL] = { "mp_filter_label", {
	    "Filter the list",
	    "Saring daftar" } },
	[MSG_MP_ALL_NUMBERS] = { "mp_all_numbers", {
	    "All numbers",
	    "Semua nomor" } },
	[MSG_MP_ALL_STATUSES] = { "mp_all_statuses", {
	    "All statuses",
	    "Semua status" } },
	[MSG_MP_DATE_FROM] = { "mp_date_from", {
	    "From date",
	    "Dari tanggal" } },
	[MSG_MP_DATE_TO] = { "mp_date_to", {
	    "To date",
	    "Sampai tanggal" } },
	[MSG_MP_FILTER] = { "mp_filter", {
	    "Filter",
	    "Saring" } },
	[MSG_MP_CLEAR] = { "mp_clear", {
	    "Clear filters",
	    "Hapus filter" } },
	[MSG_MP_BAD_RANGE] = { "mp_bad_range", {
	    "The start date is after the end date: nothing can match.",
	    "Tanggal awal lebih lambat dari tanggal akhir: tidak ada yang cocok." } },
	[MSG_MP_PAGES] = { "mp_pages", {
	    "Pages",
	    "Halaman" } },
	[MSG_MP_NEWER] = { "mp_newer", {
	    "← Newer",
	    "← Lebih baru" } },
	[MSG_MP_OLDER] = { "mp_older", {
	    "Older →",
	    "Lebih lama →" } },
	[MSG_MP_TIMES_IN] = { "mp_times_in", {
	    "Times are in",
	    "Waktu dalam zona" } },
	[MSG_MP_CHANGE_TZ] = { "mp_change_tz", {
	    "change",
	    "ubah" } },
	[MSG_MP_ADD_TITLE] = { "mp_add_title", {
	    "Add a message",
	    "Tambah pesan" } },
	[MSG_MP_F_INSTANCE] = { "mp_f_instance", {
	    "Send from",
	    "Kirim dari" } },
	[MSG_MP_F_INSTANCE_HINT] = { "mp_f_instance_hint", {
	    "A message for a number that is not connected is accepted and waits until the number is connected again.",
	    "Pesan untuk nomor yang tidak terhubung tetap diterima dan menunggu sampai nomor itu terhubung lagi." } },
	[MSG_MP_F_RECIPIENT] = { "mp_f_recipient", {
	    "Recipient's number",
	    "Nomor penerima" } },
	[MSG_MP_F_RECIPIENT_HINT] = { "mp_f_recipient_hint", {
	    "With its country code (+44 20 7946 0958), or an Indonesian number (0812-3456-7890).",
	    "Dengan kode negara (+44 20 7946 0958), atau nomor Indonesia (0812-3456-7890)." } },
	[MSG_MP_F_TEXT] = { "mp_f_text", {
	    "Text",
	    "Teks" } },
	[MSG_MP_F_TEXT_HINT] = { "mp_f_text_hint", {
	    "At most 65,536 characters (WhatsApp's limit).",
	    "Paling banyak 65.536 karakter (batas WhatsApp)." } },
	[MSG_MP_F_SEND_AT] = { "mp_f_send_at", {
	    "Send at",
	    "Kirim pada" } },
	[MSG_MP_F_SEND_AT_HINT] = { "mp_f_send_at_hint", {
	    "Leave empty to send now. A date and time (up to a year ahead) schedules it, in your time zone:",
	    "Kosongkan untuk mengirim sekarang. Tanggal dan jam (paling lama setahun ke depan) menjadwalkannya, dalam zona waktu Anda:" } },
	[MSG_MP_ADD] = { "mp_add", {
	    "Add to the queue",
	    "Masukkan ke antrean" } },
	[MSG_MP_NO_INSTANCES] = { "mp_no_instances", {
	    "Link a WhatsApp number first: messages go out from one of your numbers.",
	    "Tautkan nomor WhatsApp dulu: pesan dikirim dari salah satu nomor Anda." } },
	[MSG_MP_ERR_INSTANCE] = { "mp_err_instance", {
	    "Choose one of your WhatsApp numbers.",
	    "Pilih salah satu nomor WhatsApp Anda." } },
	[MSG_MP_ERR_RECIPIENT] = { "mp_err_recipient", {
	    "Enter the recipient's number.",
	    "Masukkan nomor penerima." } },
	[MSG_MP_ERR_TEXT_EMPTY] = { "mp_err_text_empty", {
	    "Enter the text of the message.",
	    "Masukkan teks pesan." } },
	[MSG_MP_ERR_TEXT_LONG] = { "mp_err_text_long", {
	    "The text is too long: at most 65,536 characters. Characters entered:",
	    "Teks terlalu panjang: paling banyak 65.536 karakter. Karakter yang dimasukkan:" } },
	[MSG_MP_ERR_TEXT_CONTROL] = { "mp_err_text_control", {
	    "The text holds control characters that cannot be sent.",
	    "Teks berisi karakter kontrol yang tidak bisa dikirim." } },
	[MSG_MP_ERR_SEND_AT] = { "mp_err_send_at", {
	    "Enter a date and time, like 2025-03-31 14:30.",
	    "Masukkan tanggal dan jam, misalnya 2025-03-31 14:30." } },
	[MSG_MP_ERR_PAST] = { "mp_err_past", {
	    "That time has already passed. Leave the field empty to send now.",
	    "Waktu itu sudah lewat. Kosongkan kolom ini untuk mengirim sekarang." } },
	[MSG_MP_ERR_FAR] = { "mp_err_far", {
	    "Schedule at most a year ahead.",
	    "Jadwalkan paling lama setahun ke depan." } },
	[MSG_MP_ERR_PACKAGE] = { "mp_err_package", {
	    "Your package has expired or none is active: ask your dealer to renew it. Nothing was queued.",
	    "Paket Anda sudah habis masa berlakunya atau tidak ada yang aktif: minta dealer Anda memperpanjangnya. Tidak ada pesan yang dimasukkan ke antrean." } },
	[MSG_MP_ERR_QUOTA] = { "mp_err_quota", {
	    "This month's message quota is used up; nothing was queued. Used / limit:",
	    "Kuota pesan bulan ini sudah habis; tidak ada pesan yang dimasukkan ke antrean. Terpakai / batas:" } },
	[MSG_MP_DONE_QUEUED] = { "mp_done_queued", {
	    "Message queued: it goes out shortly.",
	    "Pesan masuk antrean: segera dikirim." } },
	[MSG_MP_DONE_WAITING] = { "mp_done_waiting", {
	    "Message queued. Its number is not connected: the message waits until it is.",
	    "Pesan masuk antrean. Nomornya tidak terhubung: pesan menunggu sampai nomor itu terhubung." } },
	[MSG_MP_DONE_SCHEDULED] = { "mp_done_scheduled", {
	    "Message scheduled.",
	    "Pesan dijadwalkan." } },
	[MSG_MP_DONE_CANCELLED] = { "mp_done_cancelled", {
	    "Message cancelled; its place in this month's quota is given back.",
	    "Pesan dibatalkan; tempatnya di kuota bulan ini dikembalikan." } },
	[MSG_MP_DASH_LEAD] = { "mp_dash_lead", {
	    "Your numbers, messages, package and dealer at a glance.",
	    "Nomor, pesan, paket, dan dealer Anda secara ringkas." } },
	[MSG_MP_FIG_TITLE] = { "mp_fig_title", {
	    "Today at a glance",
	    "Sekilas hari ini" } },
	[MSG_MP_FIG_INSTANCES] = { "mp_fig_instances", {
	    "Numbers connected",
	    "Nomor terhubung" } },
	[MSG_MP_FIG_MONTH] = { "mp_fig_month", {
	    "Messages this month / quota",
	    "Pesan bulan ini / kuota" } },
	[MSG_MP_FIG_NO_QUOTA] = { "mp_fig_no_quota", {
	    "no active package",
	    "tidak ada paket aktif" } },
	[MSG_MP_FIG_SENT] = { "mp_fig_sent", {
	    "sent so far",
	    "sudah terkirim" } },
	[MSG_MP_FIG_QUEUED] = { "mp_fig_queued", {
	    "Waiting in the queue",
	    "Menunggu di antrean" } },
	[MSG_MP_FIG_SCHEDULED] = { "mp_fig_scheduled", {
	    "Scheduled",
	    "Terjadwal" } },
	[MSG_MP_FIG_RECEIVED] = { "mp_fig_received", {
	    "Received today",
	    "Diterima hari ini" } },
	[MSG_MP_QUICK] = { "mp_quick", {
	    "Quick actions",
	    "Aksi cepat" } },
	[MSG_MP_SEND_MESSAGE] = { "mp_send_message", {
	    "Send a message",
	    "Kirim pesan" } },
	[MSG_MP_TZ_TITLE] = { "mp_tz_title", {
	    "Time zone",
	    "Zona waktu" } },
	[MSG_MP_TZ_HINT] = { "mp_tz_hint", {
	    "Times on the message pages are shown in this zone, and send times you enter are read in it.",
	    "Waktu di halaman pesan ditampilkan dalam zona ini, dan waktu kirim yang Anda masukkan dibaca dalam zona ini." } },
	[MSG_MP_TZ_SAVE] = { "mp_tz_save", {
	    "Save time zone",
	    "Simpan zona waktu" } },
	[MSG_MP_ERR_TZ] = { "mp_err_tz", {
	    "Choose a time zone from the list.",
	    "Pilih zona waktu dari daftar." } },
	/* --- end block: message pages --- */
	/* --- block: live refresh --- */
	[MSG_LIVE_REFRESH] = { "live_refresh", {
	    "Refresh",
	    "Muat ulang" } },
	[MSG_LIVE_HOSTS_ON] = { "live_hosts_on", {
	    "The figures update every 15 seconds.",
	    "Angka diperbarui setiap 15 detik." } },
	[MSG_LIVE_PAUSED] = { "live_paused", {
	    "Updates are paused while this tab is hidden.",
	    "Pembaruan dijeda selama tab ini tersembunyi." } },
	[MSG_LIVE_RETRY] = { "live_retry", {
	    "Could not update just now; trying again shortly.",
	    "Belum bisa memperbarui; mencoba lagi sebentar lagi." } },
	[MSG_LIVE_CHANGED] = { "live_changed", {
	    "Hosts were added or removed: refresh the page to see them.",
	    "Ada server yang ditambah atau dihapus: muat ulang halaman untuk melihatnya." } },
	[MSG_MAP_TITLE] = { "map_title", {
	    "Where the hosts are",
	    "Lokasi server" } },
	[MSG_MAP_OF] = { "map_of", {
	    "of",
	    "dari" } },
	[MSG_MAP_CAPTION] = { "map_caption", {
	    "hosts are on the map; hosts without a location are only in the list below.",
	    "server ada di peta; server tanpa lokasi hanya ada di daftar di bawah." } },
	[MSG_MAP_LEGEND] = { "map_legend", {
	    "Legend",
	    "Keterangan" } },
	/* --- end block: live refresh --- */
};

/* LANG__MAX when the n bytes name no language we offer. */
enum lang
i18n_lang_find(const char *s, size_t n)
{
	enum lang	 l;

	for (l = 0; l < LANG__MAX; l++)
		if (strlen(i18n_lang_codes[l]) == n &&
		    memcmp(i18n_lang_codes[l], s, n) == 0)
			return l;
	return LANG__MAX;
}

const char *
i18n_text(enum lang l, enum msg m)
{
	return i18n_msgs[m].text[l];
}

/* The word for an instance status (gw.h's names), or the name itself. */
const char *
i18n_inst_status(enum lang l, const char *status)
{
	static const struct {
		const char	*status;
		enum msg	 msg;
	} words[] = {
		{ "qr_required", MSG_ST_QR_REQUIRED },
		{ "connecting", MSG_ST_CONNECTING },
		{ "connected", MSG_ST_CONNECTED },
		{ "disconnected", MSG_ST_DISCONNECTED },
		{ "failed", MSG_ST_FAILED },
	};
	size_t	 i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(status, words[i].status) == 0)
			return i18n_msgs[words[i].msg].text[l];
	return status;
}

/* Legacy: add the table's {key: text} to o (i18n_strings). */
void
i18n_legacy_strings(enum lang l, struct json_object *o)
{
	enum msg		 m;

	for (m = 0; m < MSG__MAX; m++)
		json_object_object_add(o, i18n_msgs[m].key,
		    json_object_new_string(i18n_msgs[m].text[l]));
}
