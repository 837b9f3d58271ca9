"""Texts of continuous replication (Litestream): the Administrasjon section, the sidebar warning, first start."""

NB = {
    "replication.title": "Replikering til lager",
    "replication.none": "Ingen replika er satt opp: databasen finnes bare på denne serverens disk. "
                        "Sett opp en S3-bøtte eller en mappe under `[replication]` i secrets (se docs/deploy.md).",
    "replication.bad_config": "Replikeringsoppsettet kan ikke brukes: {problem}",
    "replication.healthy": "Replikert til {target}. Alt som er lagret, finnes også der.",
    "replication.behind": "Replikert til {target}, men {count} endringer venter på å bli sendt.",
    "replication.failing": "Replikeringen feiler: {error}. Appen virker og lagrer lokalt, men endringer "
                           "sendes ikke til lageret før feilen er borte – og forsvinner hvis serveren starter på nytt.",
    "replication.checking": "Sjekker replikaen …",
    "replication.first_sync": "Replikerer til {target}: den første kopien er på vei.",
    "replication.target": "Mål",
    "replication.runner": "Kjøres av",
    "replication.runner_app": "appen (én Litestream-prosess per server)",
    "replication.runner_external": "Litestream utenfor appen (Docker/systemd)",
    "replication.last_synced": "Sist synkronisert",
    "replication.never": "aldri",
    "replication.lag": "Etterslep",
    "replication.lag_none": "ingen – replikaen er à jour",
    "replication.lag_seconds": "{seconds} s ({count} endringer venter)",
    "replication.lag_unknown": "ukjent",
    "replication.checked": "Sist sjekket",
    "replication.restarts": "Startet på nytt av appen",
    "replication.check_now": "Sjekk nå",
    "replication.errors": "Siste feilmeldinger fra Litestream",
    "replication.points": "Gjenopprett et tidspunkt",
    "replication.points_text": "Replikaen kan gjenopprette databasen slik den var på hvert av disse "
                               "tidspunktene. Filen sjekkes som en vanlig sikkerhetskopi før den tas i bruk, "
                               "og dagens data lagres først som en datert kopi.",
    "replication.points_none": "Replikaen har ingen gjenopprettingspunkter ennå.",
    "replication.point": "Tidspunkt",
    "replication.confirm": "Jeg forstår at dataene blir erstattet av dataene fra dette tidspunktet",
    "replication.restore_button": "Gjenopprett tidspunktet",
    "replication.confirm_needed": "Kryss av for at du forstår at dataene blir erstattet.",
    "replication.restored": "Gjenopprettet databasen slik den var {moment}. Dataene før ble lagret som {kept}.",
    "replication.restore_failed": "Kunne ikke hente tidspunktet fra replikaen: {detail}",
    "replication.unavailable": "Replikaen svarer ikke",
    "replication.start_failed": "Databasen finnes ikke på denne serveren, og replikaen som kan ha en kopi, "
                                "svarer ikke ({detail}). Appen lager ikke en ny database over data den ikke "
                                "kan se. Last inn siden igjen om litt.",
    "replication.sidebar_failing": "Replikeringen feiler: endringer sendes ikke til lageret.",
    "replication.sidebar_link": "Se Administrasjon",
}

EN = {
    "replication.title": "Replication to storage",
    "replication.none": "No replica is set up: the database exists only on this server's disk. "
                        "Set up an S3 bucket or a directory under `[replication]` in the secrets (see docs/deploy.md).",
    "replication.bad_config": "The replication settings cannot be used: {problem}",
    "replication.healthy": "Replicated to {target}. Everything saved is there too.",
    "replication.behind": "Replicated to {target}, but {count} changes are waiting to be sent.",
    "replication.failing": "Replication is failing: {error}. The app works and saves locally, but changes "
                           "are not sent to storage until this is fixed – and are lost if the server restarts.",
    "replication.checking": "Checking the replica …",
    "replication.first_sync": "Replicating to {target}: the first copy is on its way.",
    "replication.target": "Target",
    "replication.runner": "Run by",
    "replication.runner_app": "the app (one Litestream process per server)",
    "replication.runner_external": "Litestream outside the app (Docker/systemd)",
    "replication.last_synced": "Last synced",
    "replication.never": "never",
    "replication.lag": "Lag",
    "replication.lag_none": "none – the replica is up to date",
    "replication.lag_seconds": "{seconds} s ({count} changes waiting)",
    "replication.lag_unknown": "unknown",
    "replication.checked": "Last checked",
    "replication.restarts": "Restarted by the app",
    "replication.check_now": "Check now",
    "replication.errors": "Latest error messages from Litestream",
    "replication.points": "Restore a point in time",
    "replication.points_text": "The replica can restore the database as it was at each of these moments. "
                               "The file is checked like an ordinary backup before it is used, and the "
                               "current data is first saved as a dated copy.",
    "replication.points_none": "The replica holds no restore points yet.",
    "replication.point": "Moment",
    "replication.confirm": "I understand that the data will be replaced by the data of this moment",
    "replication.restore_button": "Restore this moment",
    "replication.confirm_needed": "Tick the box to confirm that the data will be replaced.",
    "replication.restored": "Restored the database as it was {moment}. The data before was saved as {kept}.",
    "replication.restore_failed": "Could not fetch that moment from the replica: {detail}",
    "replication.unavailable": "The replica does not answer",
    "replication.start_failed": "The database is not on this server, and the replica that may hold a copy "
                                "does not answer ({detail}). The app does not create a new database over data "
                                "it cannot see. Reload the page in a moment.",
    "replication.sidebar_failing": "Replication is failing: changes are not sent to storage.",
    "replication.sidebar_link": "See Administrasjon",
}
