"""Tell the people concerned about what happened to an edition: a row in their admin inbox
and an e-mail (Django's mail backends; the console backend unless configured)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from articles.models import Notification

logger = logging.getLogger(__name__)


def describe(event):
    """One sentence about ``event``, in the newsroom's working language."""
    article = event.article
    title = article.safe_translation_getter(
        "title", language_code=event.language_code, any_language=True, default=f"#{article.pk}"
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(actor)s: %(action)s — “%(title)s” (%(language)s)") % {
            "actor": event.actor.get_full_name() or event.actor.get_username()
            if event.actor
            else _("The newsroom"),
            "action": event.get_action_display(),
            "title": title,
            "language": event.language_code,
        }
        if event.comment:
            message += "\n" + _("Comment: %(comment)s") % {"comment": event.comment}
        if event.scheduled_for:
            message += "\n" + _("Scheduled for %(time)s") % {
                "time": formats.date_format(
                    timezone.localtime(event.scheduled_for), "DATETIME_FORMAT"
                )
            }
    return message


def notify_event(event, recipients):
    """Create an inbox notification for each recipient and e-mail them after commit."""
    message = describe(event)
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            article=event.article,
            language_code=event.language_code,
            action=event.action,
            message=message,
        )
        for recipient in recipients
    )
    addresses = sorted({recipient.email for recipient in recipients if recipient.email})
    if addresses:
        link = reverse("admin:articles_article_change", args=[event.article.pk])
        body = f"{message}\n\n{link}?language={event.language_code}"
        transaction.on_commit(lambda: send_notice(message, body, addresses))
    return notifications


def send_notice(message, body, addresses):
    # The inbox row is already saved: a mail server that is down must not undo the work.
    try:
        send_mail(
            subject=message.splitlines()[0][:150],
            message=body,
            from_email=None,
            recipient_list=addresses,
        )
    except OSError:
        logger.exception("Could not e-mail the newsroom notification to %s", addresses)
