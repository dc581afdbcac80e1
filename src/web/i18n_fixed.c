/* i18n_fixed.c: Indonesian for the fixed English sentences validators and page checks return (valid_contact.c, image.c, the pages' own checks). */
#include <string.h>

#include <json-c/json.h>

#include "i18n.h"

/*
 * Every fixed sentence a page may show, in English as its source
 * returns it, and in Indonesian. t/0050 checks that each sentence of
 * valid_contact.c and image.c is here.
 */
static const struct i18n_fixed_text {
	const char	*en;
	const char	*id;
} i18n_fixed_texts[] = {
	/* valid_contact.c: email */
	{ "Enter an email address.", "Masukkan alamat email." },
	{ "The email address is too long.", "Alamat email terlalu panjang." },
	{ "The email address contains spaces or characters that are not "
	    "allowed.", "Alamat email berisi spasi atau karakter yang tidak "
	    "diizinkan." },
	{ "An email address needs exactly one @.",
	    "Alamat email harus berisi tepat satu @." },
	{ "The part before the @ is not valid.",
	    "Bagian sebelum @ tidak valid." },
	{ "The part before the @ is too long.",
	    "Bagian sebelum @ terlalu panjang." },
	{ "The part after the @ is not a valid domain name.",
	    "Bagian setelah @ bukan nama domain yang valid." },
	/* valid_contact.c: phone numbers */
	{ "The default country code is not valid.",
	    "Kode negara bawaan tidak valid." },
	{ "The phone number is too long.", "Nomor telepon terlalu panjang." },
	{ "Use only digits, spaces, dots, dashes, brackets and a leading +.",
	    "Gunakan hanya angka, spasi, titik, tanda hubung, kurung, dan + "
	    "di depan." },
	{ "Start with + and the country code, or with 0 for a national "
	    "number.", "Awali dengan + dan kode negara, atau dengan 0 untuk "
	    "nomor nasional." },
	{ "Start with + and the country code.",
	    "Awali dengan + dan kode negara." },
	{ "A country code cannot start with 0.",
	    "Kode negara tidak boleh diawali 0." },
	{ "Type at most one 0 after the country code.",
	    "Ketik paling banyak satu 0 setelah kode negara." },
	{ "The phone number is too short.", "Nomor telepon terlalu pendek." },
	/* valid_contact.c: text and names */
	{ "The text is not valid UTF-8.", "Teks bukan UTF-8 yang valid." },
	{ "The text contains control characters that are not allowed.",
	    "Teks berisi karakter kontrol yang tidak diizinkan." },
	{ "Line breaks are not allowed here.",
	    "Baris baru tidak diizinkan di sini." },
	{ "The text is too long.", "Teks terlalu panjang." },
	{ "Enter a name.", "Masukkan nama." },
	{ "The name is too long.", "Nama terlalu panjang." },
	/* image.c */
	{ "The image is larger than 2 MiB.",
	    "Gambar lebih besar dari 2 MiB." },
	{ "The image is too large: at most 16 megapixels and 8192 pixels on "
	    "a side.", "Gambar terlalu besar: paling banyak 16 megapiksel "
	    "dan 8192 piksel per sisi." },
	{ "The JPEG image is too complex to process; save it again as an "
	    "ordinary JPEG.", "Gambar JPEG terlalu rumit untuk diproses; "
	    "simpan lagi sebagai JPEG biasa." },
	{ "Use a PNG, JPEG or WebP image.",
	    "Gunakan gambar PNG, JPEG, atau WebP." },
	{ "Animated images are not supported; use a still PNG, JPEG or WebP "
	    "image.", "Gambar animasi tidak didukung; gunakan gambar diam "
	    "PNG, JPEG, atau WebP." },
	{ "The image is damaged or incomplete.",
	    "Gambar rusak atau tidak lengkap." },
	{ "The image could not be processed.",
	    "Gambar tidak dapat diproses." },
	/* the pages' own checks */
	{ "Choose an image file to upload.",
	    "Pilih berkas gambar untuk diunggah." },
	{ "Choose English or Bahasa Indonesia.",
	    "Pilih English atau Bahasa Indonesia." },
	{ "Enter your current password to change your email address.",
	    "Masukkan kata sandi Anda saat ini untuk mengganti alamat "
	    "email Anda." },
	{ "This email address is already used by another account.",
	    "Alamat email ini sudah dipakai akun lain." },
	{ "The current password is not right.",
	    "Kata sandi saat ini tidak benar." },
	{ "Use 8 to 1024 characters.", "Gunakan 8 sampai 1024 karakter." },
	{ "The two new passwords differ.", "Kedua kata sandi baru berbeda." },
	{ "The gateway host did not give a code just now; try again.",
	    "Host gateway belum memberi kode; coba lagi." },
	{ "Enter the number to link, e.g. +62 812 3456 7890.",
	    "Masukkan nomor yang akan ditautkan, mis. +62 812 3456 7890." },
	{ "Your package has expired or none is active: ask your dealer to "
	    "renew it.", "Paket Anda sudah berakhir atau tidak ada yang aktif: "
	    "minta dealer Anda memperpanjangnya." },
	{ "Your package's limit of WhatsApp numbers is reached.",
	    "Batas nomor WhatsApp paket Anda sudah tercapai." },
	{ "Choose one of the hosts listed.",
	    "Pilih salah satu host yang tercantum." },
	{ "That host is full: choose another one.",
	    "Host itu penuh: pilih yang lain." },
	{ "The gateway host did not accept the new number right now; nothing "
	    "was created. Try again or choose another host.",
	    "Host gateway tidak menerima nomor baru saat ini; tidak ada yang "
	    "dibuat. Coba lagi atau pilih host lain." },
	{ "Choose a host.", "Pilih host." },
};

/*
 * The sentence en (one of the table's, as its source returns it) in
 * language l; en itself for English or when it is not in the table.
 */
const char *
i18n_fixed(enum lang l, const char *en)
{
	size_t	 i;

	if (l == LANG_EN || en == NULL)
		return en;
	for (i = 0; i < sizeof(i18n_fixed_texts) /
	    sizeof(i18n_fixed_texts[0]); i++)
		if (strcmp(i18n_fixed_texts[i].en, en) == 0)
			return i18n_fixed_texts[i].id;
	return en;
}

/* Sentence i (from 0) of the table in English, or NULL past the last. */
const char *
i18n_fixed_at(size_t i)
{
	if (i >= sizeof(i18n_fixed_texts) / sizeof(i18n_fixed_texts[0]))
		return NULL;
	return i18n_fixed_texts[i].en;
}

/* Every string member of o (errors by field) put in language l. */
void
i18n_fixed_object(enum lang l, struct json_object *o)
{
	const char	*t;

	if (o == NULL || l == LANG_EN)
		return;
	json_object_object_foreach(o, key, val) {
		if (!json_object_is_type(val, json_type_string))
			continue;
		t = i18n_fixed(l, json_object_get_string(val));
		if (t != json_object_get_string(val))
			json_object_object_add(o, key,
			    json_object_new_string(t));
	}
}
