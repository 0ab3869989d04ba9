"""The audit log: every staff action the security issue lists is recorded with who, when and
what (a diff for texts), by whatever path it happened; owners read it; nobody can change it."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection, transaction
from django.test import Client

from sitrep.accounts.models import SecurityPolicy, User
from sitrep.audit.models import AppendOnly, Entry
from sitrep.comments.models import DiscussionSettings
from sitrep.posts.models import Post
from tests.accounts.test_sign_in import SECRET, totp_now
from tests.desk.test_views import form_data as compose_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return User.objects.create_superuser("owner", password="owner-password-1")


def actions(kind=""):
    entries = Entry.objects.filter(action__startswith=kind).order_by("id")
    return [(e.actor_name, e.action) for e in entries]


def test_publish_edit_unpublish_and_delete_are_recorded_with_a_diff(editor_client, editor, owner):
    editor_client.post("/desk/posts/new/", compose_data(headline="Ferry talks", action="publish"))
    post = Post.objects.get(headline="Ferry talks")
    edit = compose_data(headline="Ferry talks resume", action="save", note="Both sides agreed.")
    editor_client.post(f"/desk/posts/{post.pk}/", edit)
    editor_client.post(f"/desk/posts/{post.pk}/", {**edit, "action": "unpublish"})
    owner_client = Client()
    owner_client.force_login(owner)
    owner_client.post(f"/admin/posts/post/{post.pk}/delete/", {"post": "yes"})
    assert not Post.objects.filter(pk=post.pk).exists()
    assert actions("post.") == [("desk", "post.publish"), ("desk", "post.edit"),
                         ("desk", "post.unpublish"), ("owner", "post.delete")]  # fmt: skip
    edited = Entry.objects.get(action="post.edit")
    assert "-Headline: Ferry talks\n+Headline: Ferry talks resume" in edited.diff
    assert "+Note: Both sides agreed." in edited.diff
    assert edited.target_url == post.get_absolute_url()


def test_settings_roles_and_second_factors_are_recorded(
    editor_client, editor, owner, reader, django_capture_on_commit_callbacks
):
    editor_client.post("/desk/settings/", {"mode": "named", "flags_to_hold": 5})
    owner_client = Client()
    owner_client.force_login(owner)
    owner_client.post("/desk/security/", {"staff_two_factors": "on"})
    reader.is_moderator = True  # made a moderator (the admin, a shell: the same record)
    reader.save()
    entries = {e.action: e for e in Entry.objects.all()}
    discussion = entries["settings.discussion"]
    assert discussion.actor_name == "desk"
    assert discussion.changes["mode"] == ["anyone", "named"]
    assert discussion.changes["flags_to_hold"] == [3, 5]
    assert entries["settings.security"].changes == {"staff_two_factors": [False, True]}
    promoted = Entry.objects.filter(action="account.roles", target="kestrel").latest("id")
    assert (
        promoted.changes == {"is_moderator": [False, True]}
        and promoted.actor_name == "command line"
    )
    assert DiscussionSettings.current().mode == "named"
    assert SecurityPolicy.current().staff_two_factors

    # Turning on an authenticator app in one's account.
    client = Client()
    client.post("/accounts/login/", {"login": "desk", "password": "desk-password-1"})
    client.post("/accounts/reauthenticate/", {"password": "desk-password-1"})
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    tag = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', page).group(0)
    secret = re.search(r'value="([A-Z2-7]+)"', tag).group(1)
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert activated.status_code == 302
    added = sorted(e.target for e in Entry.objects.filter(action="two-factor.on"))
    assert added == ["desk: authenticator app", "desk: recovery codes"]
    assert {e.actor_name for e in Entry.objects.filter(action="two-factor.on")} == {"desk"}


def test_imports_and_exports_are_recorded(
    editor_client, make_post, worker, django_capture_on_commit_callbacks
):
    make_post()
    exported = b"".join(editor_client.get("/desk/export/").streaming_content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("site.jsonl", exported)
    with django_capture_on_commit_callbacks(execute=True):  # the import is queued on commit
        editor_client.post("/desk/import/", {"file": upload, "format": "auto"})
    worker()
    assert [a for _, a in actions("site.")] == ["site.export", "site.import"]
    imported = Entry.objects.get(action="site.import")
    assert imported.actor_name == "desk" and "site.jsonl" in imported.target


def test_the_log_cannot_be_changed(editor):
    TOTP.activate(editor, SECRET)
    entry = Entry.objects.create(actor_name="desk", action="post.publish", target="A post")
    entry.target = "Something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.all().update(target="x")
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()
    table = Entry._meta.db_table
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:  # past the application, straight to the database
            cursor.execute(f"UPDATE {table} SET target = 'x'")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")
    assert Entry.objects.get(pk=entry.pk).target == "A post"


def test_owners_read_it_in_the_desk(editor_client, owner, make_post):
    make_post(headline="Harbor reopens")
    assert editor_client.get("/desk/audit/").status_code == 403
    client = Client()
    client.force_login(owner)
    page = client.get("/desk/audit/").content.decode()
    assert "post.publish" in page and "Harbor reopens" in page
    only_roles = client.get("/desk/audit/?kind=account").content.decode()
    assert "post.publish" not in only_roles


def test_what_is_recorded_is_printable(db):
    """A hostile headline or name reaches the log as it reaches every page (core.text): no NUL
    or control character, which PostgreSQL would refuse and feeds could not carry."""
    from sitrep.audit.services import record

    entry = record("post.edit", target="Head\x00line\x07", diff="-a\x00\n+b\x1b",
                   changes={"signature\x00": ["Desk\x00", None]})  # fmt: skip
    stored = Entry.objects.get(pk=entry.pk)
    assert "\x00" not in stored.target + stored.diff and "\x07" not in stored.target
    assert "\x00" not in str(stored.changes)


def test_a_sign_in_saves_last_login_without_reading_the_roles_first(
    editor, django_assert_num_queries
):
    from django.utils import timezone

    editor.last_login = timezone.now()
    with django_assert_num_queries(1):  # the UPDATE alone
        editor.save(update_fields=["last_login"])
