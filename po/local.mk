# po/local.mk: the translations: make update-po brings po/<lang>.po up to date with the English of the code (po/README.md).

# What xgettext reads as a translatable string: N_("..."), a template
# string T_("key", "..."), and the sentences given to req_tr/i18n_tr;
# joined to the prose of the OpenAPI document (openapi-pot.jq, with jq),
# which the API docs pages show translated.
XGETTEXT_ARGS = --from-code=UTF-8 --language=C --sort-by-file \
	--keyword --keyword=N_ --keyword=T_:1c,2 --keyword=req_tr:2 \
	--keyword=i18n_tr:2 --package-name=waportal --add-location=file
PO_LANGS = id

update-po:
	cd $(srcdir) && jq -r -f po/openapi-pot.jq docs/openapi.json \
	    >po/waportal.pot && find src -name '*.c' -o -name '*.cc' | LC_ALL=C sort | \
	    xgettext $(XGETTEXT_ARGS) --join-existing --files-from=- \
	    -o po/waportal.pot
	for l in $(PO_LANGS); do \
	    msgmerge --quiet --no-fuzzy-matching --add-location=file --update \
	        --backup=none $(srcdir)/po/$$l.po $(srcdir)/po/waportal.pot && \
	    msgattrib --no-obsolete -o $(srcdir)/po/$$l.po \
	        $(srcdir)/po/$$l.po || exit 1; done
	rm -f $(srcdir)/po/waportal.pot
.PHONY: update-po
