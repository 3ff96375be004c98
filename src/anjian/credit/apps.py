from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "anjian.credit"
    label = "credit"
    verbose_name = _("Credit supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.credit import audit, subscriptions

        audit.register()  # the audit trail's words for this app's codes and records
        # Decisions, inspections and re-inspections move the entity's records and grade.
        subscriptions.subscribe()
        # The credit card and records on the entity's profile (entities knows no later app).
        from anjian.credit import timeline  # noqa: F401

        # The yearly caps per class, checked whenever an inspection is scheduled.
        if apps.is_installed("anjian.inspections"):
            from anjian.credit.caps import over_cap_bulk, over_cap_message
            from anjian.inspections.scheduling import schedule_bulk_check, schedule_check

            schedule_check(over_cap_message)
            # Plans issued and draws run: their whole batch in one query.
            schedule_bulk_check(over_cap_bulk)

        # Entities on the serious-dishonesty list are forced into every draw (draws knows no
        # later app: it asks the providers registered with it).
        if apps.is_installed("anjian.draws"):
            from anjian.credit.dishonesty import forced_into_draw
            from anjian.draws.forced import forced_provider

            forced_provider(forced_into_draw)

        if apps.is_installed("anjian.jobs"):
            from anjian.credit import jobs  # noqa: F401
