"""Texts for forms and validation messages, shared by every page."""

NB = {
    "form.saved": "Lagret.",
    "form.duplicate": "Dette ser ut til å finnes fra før ({n}). Åpne den som finnes, eller lagre likevel.",
    "form.duplicate_open": "Åpne den",
    "form.duplicate_save": "Lagre likevel",
    "form.duplicate_blocked": "Ikke lagret: det finnes allerede en lik post. Åpne den, eller velg «Lagre likevel».",
    "form.invalid": "Ikke lagret. Rett opp dette først:",
    "form.permission_denied": "Ikke lagret: du må være logget inn som redaktør for å endre data.",
    "form.failed": "Ikke lagret: noe gikk galt ({reason}). Ingenting ble endret.",
    "form.conflict": "Ikke lagret: noen andre har lagret denne posten etter at du åpnet den. "
                     "Slik ser den ut nå – åpne den på nytt og gjør endringen din der:",
    "form.conflict_deleted": "Ikke lagret: posten er slettet av noen andre etter at du åpnet den.",
    "form.conflict_both": "Ikke lagret: noen andre har lagret denne posten etter at du åpnet den. "
                          "Her er det som skiller din versjon fra den som er lagret nå. "
                          "Ingenting er overskrevet.",
    "form.conflict_rest_same": "Alle andre felt er like i begge versjonene.",
    "form.conflict_all_same": "Den lagrede versjonen har de samme verdiene som du skrev inn.",
    "form.conflict_field": "Felt",
    "form.conflict_reload": "Start på nytt fra den lagrede versjonen",
    "form.edit": "Rediger",
    "form.new": "Ny",
    "form.save": "Lagre",
    "form.cancel": "Avbryt",
    "validation.required": "må fylles ut",
    "validation.too_long": "er for lang",
    "validation.url": "må være en nettadresse som begynner med https:// eller http://",
    "validation.date": "må være en gyldig dato",
    "validation.date_order": "kan ikke være før den andre datoen",
    "validation.choice": "er ikke et gyldig valg",
    "form.conflict_yours": "Det du skrev",
    "form.conflict_saved": "Lagret nå",
}

EN = {
    "form.saved": "Saved.",
    "form.duplicate": "This seems to exist already ({n}). Open the saved one, or save anyway.",
    "form.duplicate_open": "Open it",
    "form.duplicate_save": "Save anyway",
    "form.duplicate_blocked": "Not saved: a matching record exists. Open it, or choose «Save anyway».",
    "form.invalid": "Not saved. Please correct this first:",
    "form.permission_denied": "Not saved: you must be signed in as an editor to change data.",
    "form.failed": "Not saved: something went wrong ({reason}). Nothing was changed.",
    "form.conflict": "Not saved: someone else saved this record after you opened it. "
                     "This is how it looks now – open it again and make your change there:",
    "form.conflict_deleted": "Not saved: someone else deleted the record after you opened it.",
    "form.conflict_both": "Not saved: someone else saved this record after you opened it. "
                          "Here is what differs between your version and the one saved now. "
                          "Nothing was overwritten.",
    "form.conflict_rest_same": "All other fields are the same in both versions.",
    "form.conflict_all_same": "The saved version has the same values you typed.",
    "form.conflict_field": "Field",
    "form.conflict_reload": "Start again from the saved version",
    "form.edit": "Edit",
    "form.new": "New",
    "form.save": "Save",
    "form.cancel": "Cancel",
    "validation.required": "is required",
    "validation.too_long": "is too long",
    "validation.url": "must be a web address starting with https:// or http://",
    "validation.date": "must be a valid date",
    "validation.date_order": "cannot be before the other date",
    "validation.choice": "is not a valid choice",
    "form.conflict_yours": "What you typed",
    "form.conflict_saved": "Saved now",
}
