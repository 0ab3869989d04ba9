from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "sitrep.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from sitrep.comments.signals import comment_posted
        from sitrep.core import schedule
        from sitrep.mail.bounces import bounces_collect
        from sitrep.mail.dispatch import dispatches_due
        from sitrep.mail.models import AccountReplies
        from sitrep.mail.replies import replies_due
        from sitrep.mail.staff import queue_alert_due, weekly_summary_due
        from sitrep.mail.subscriptions import replies_watch, requests_expire

        schedule.every_tick("mailings", dispatches_due)
        schedule.every_tick("reply notifications", replies_due)
        schedule.every_tick("moderator alerts", queue_alert_due)
        schedule.every_tick("weekly mail summaries", weekly_summary_due)
        schedule.every_tick("expired subscription requests", requests_expire)
        schedule.every_tick("returned mail", bounces_collect)

        def watch(sender, comment, notify_email, **kwargs):
            user = comment.user
            if not notify_email and user and user.email and AccountReplies.objects.filter(
                user=user
            ).exists():  # fmt: skip
                notify_email = user.email  # the reader asked for it once, in their account
            if notify_email:
                replies_watch(comment=comment, email=notify_email, ip_hash=comment.ip_hash)

        comment_posted.connect(watch, weak=False, dispatch_uid="mail-watch-replies")
