"""Who may open, and post to, which admin page.

The rights below are written out by hand from the newsroom's decisions (README, "Editorial
workflow"; articles/roles.py), not derived from the code: a role that gains or loses a
right, or a model registered in the admin without a line here, fails a test.

The role × state × action table of the workflow buttons on a source edition is
tests/articles/test_workflow.py (EXPECTED) and, through the admin, test_admin_action_by_role
in tests/articles/test_admin_workflow.py; this file adds everything around it.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from parler.admin import TranslatableAdmin

from articles.models import (
    Article,
    ArticleTranslation,
    EditionEvent,
    Notification,
    TranslationAssignment,
)
from articles.roles import EDITOR, EDITOR_IN_CHIEF, REPORTER
from events.models import ReportedFigure
from organizations.models import CooperationAgreement
from relations.models import OccasionDone, OccasionReminder
from tests.admin_forms import change_url, form_values, open_change_form
from tests.articles.test_admin_workflow import logged_in, post_action, workflow_url
from tests.articles.test_workflow import edition_in_state
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    ForeignNGOFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    OccasionFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    TagFactory,
    UserFactory,
    add_edition,
)
from translation_desk.models import Term, TermOverride

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"

# Rights of each role on each registered model: v(iew), a(dd), c(hange), d(elete). A role
# missing from a line has none. "staff" is a staff account without any role.
READ_ONLY = {"reporter": "v", "translator": "v", "editor": "v"}
REFERENCE_DATA = {**READ_ONLY, "chief": "vacd", "superuser": "vacd"}
RIGHTS = {
    # Accounts and roles: the editor-in-chief's only.
    "auth.Group": {"chief": "vacd", "superuser": "vacd"},
    "auth.User": {"chief": "vacd", "superuser": "vacd"},
    # Failed logins and lockouts (django-axes): nobody writes these records by hand; the
    # editor-in-chief reads and deletes lockouts (unlocks an account), the rest is the
    # site administrators'.
    "axes.AccessAttempt": {"chief": "vd", "superuser": "vcd"},
    "axes.AccessFailureLog": {"superuser": "vcd"},
    "axes.AccessLog": {"superuser": "vcd"},
    # Authenticator apps of two-step login: the editor-in-chief deletes a lost phone's device
    # (resets that person's two-step login); its secret is shown to nobody.
    "otp_totp.TOTPDevice": {"chief": "vd", "superuser": "vacd"},
    "organizations.Country": REFERENCE_DATA,
    "organizations.FriendshipUnion": REFERENCE_DATA,
    "organizations.MemberAssociation": REFERENCE_DATA,
    "organizations.PartnerLocality": REFERENCE_DATA,
    "organizations.CooperationAgreement": REFERENCE_DATA,
    "organizations.ForeignNGO": REFERENCE_DATA,
    # Editors record activities; only the editor-in-chief deletes them.
    "events.Activity": {**READ_ONLY, "editor": "vac", "chief": "vacd", "superuser": "vacd"},
    "events.ReportedFigure": REFERENCE_DATA,
    "articles.Category": {**READ_ONLY, "editor": "vacd", "chief": "vacd", "superuser": "vacd"},
    "articles.Tag": {**READ_ONLY, "editor": "vacd", "chief": "vacd", "superuser": "vacd"},
    # Reporters bring photos; translators translate their captions.
    "articles.Photo": {
        "reporter": "vac",
        "translator": "vc",
        "editor": "vacd",
        "chief": "vacd",
        "superuser": "vacd",
    },
    # On the reporter's own draft: the other roles read it; only the desk deletes.
    "articles.Article": {
        "reporter": "vac",
        "translator": "v",
        "editor": "vacd",
        "chief": "vacd",
        "superuser": "vacd",
    },
    # Records of what happened: nobody adds, changes or deletes them.
    "articles.EditionEvent": {"editor": "v", "chief": "v", "superuser": "v"},
    # Each person's own notifications (someone else's are not found, see below).
    "articles.Notification": {**READ_ONLY, "chief": "v", "superuser": "v"},
    "articles.TranslationAssignment": {"editor": "vacd", "chief": "vacd", "superuser": "vacd"},
    # The relations desk: the whole newsroom reads the occasions (and ticks them done on the
    # calendar); editors keep them.
    "relations.Occasion": {**READ_ONLY, "editor": "vacd", "chief": "vacd", "superuser": "vacd"},
    # What was done and which reminders went out: records, read by the whole newsroom.
    "relations.OccasionDone": {**READ_ONLY, "chief": "v", "superuser": "v"},
    "relations.OccasionReminder": {**READ_ONLY, "chief": "v", "superuser": "v"},
    # The term base: translators read it, editors keep it (reporters write the source and
    # are not checked against it).
    "translation_desk.Term": {
        "translator": "v",
        "editor": "vacd",
        "chief": "vacd",
        "superuser": "vacd",
    },
    # Overrides of the term check: records the translator makes by submitting, read by the
    # desk.
    "translation_desk.TermOverride": {
        "translator": "v",
        "editor": "v",
        "chief": "v",
        "superuser": "v",
    },
}
ROLES = ["staff", "reporter", "translator", "editor", "chief", "superuser"]

# Django's rule: which right opens which page of a model.
OPENED_BY = {
    "changelist": "vc",
    "add": "a",
    "change": "vc",
    "history": "vc",
    "delete": "d",
    "delete_translation": "d",
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
BY_LABEL = {model._meta.label: model for model in REGISTERED}


def expected_status(label, role, view):
    rights = RIGHTS[label].get(role, "")
    return 200 if set(rights) & set(OPENED_BY[view]) else 403


@pytest.fixture
def people(newsroom, admin_user):
    return {
        **newsroom,
        "superuser": admin_user,
        "staff": UserFactory(username="staff_without_role"),
        "reader": UserFactory(username="reader", is_staff=False),
        # An editor who has left: their account is switched off, their session may remain.
        "former": UserFactory(username="former_editor", role=EDITOR, is_active=False),
    }


@pytest.fixture
def draft_article(people):
    """The reporter's Vietnamese draft, with an English draft beside it."""
    article = edition_in_state("draft", author=people["reporter"]).master
    add_edition(article, "en", title="Draft in English", status="draft", published_at=None)
    return article


def translated(instance):
    """``instance`` with a Vietnamese translation beside the English one."""
    instance.set_current_language("vi")
    field = next(
        name
        for name in ["name", "title", "caption"]
        if name in instance._parler_meta.get_all_fields()
    )
    setattr(instance, field, "Tiếng Việt")
    instance.save()
    return instance


def agreement():
    return CooperationAgreement.objects.create(
        locality=PartnerLocalityFactory(), kind="mou", signed_on="2024-08-01"
    )


def axes_record(name):
    seen = {"username": "intruder", "ip_address": "203.0.113.9", "user_agent": "curl"}
    if name == "AccessAttempt":
        seen["failures_since_start"] = 3
    return apps.get_model("axes", name).objects.create(**seen)


# How to make the object whose pages a user opens, for each registered model.
MAKERS = {
    "auth.Group": lambda user: Group.objects.create(name="Photographers"),
    # An account to administer (deleting it takes nobody's login away).
    "auth.User": lambda user: UserFactory(username="intern"),
    "axes.AccessAttempt": lambda user: axes_record("AccessAttempt"),
    "axes.AccessFailureLog": lambda user: axes_record("AccessFailureLog"),
    "axes.AccessLog": lambda user: axes_record("AccessLog"),
    "otp_totp.TOTPDevice": lambda user: apps.get_model("otp_totp", "TOTPDevice").objects.create(
        user=user, name="Phone"
    ),
    "organizations.Country": lambda user: translated(CountryFactory(code="LA")),
    "organizations.FriendshipUnion": lambda user: translated(FriendshipUnionFactory()),
    "organizations.MemberAssociation": lambda user: translated(MemberAssociationFactory()),
    "organizations.PartnerLocality": lambda user: translated(PartnerLocalityFactory()),
    "organizations.CooperationAgreement": lambda user: agreement(),
    "organizations.ForeignNGO": lambda user: translated(ForeignNGOFactory()),
    "events.Activity": lambda user: translated(ActivityFactory()),
    "events.ReportedFigure": lambda user: ReportedFigure.objects.create(
        union=FriendshipUnionFactory(), year=2024, metric="activities", value=30, source="report"
    ),
    "articles.Category": lambda user: translated(CategoryFactory()),
    "articles.Tag": lambda user: translated(TagFactory()),
    "articles.Photo": lambda user: translated(PhotoFactory()),
    "articles.Article": None,  # the draft_article fixture
    "articles.EditionEvent": lambda user: EditionEvent.objects.create(
        article=edition_in_state("in_review", author=user).master,
        language_code="vi",
        action="submit",
        actor=user,
    ),
    # Each user opens their own (someone else's is not found, see below).
    "articles.Notification": lambda user: Notification.objects.create(
        recipient=user,
        article=ArticleFactory(),
        language_code="vi",
        action="submit",
        message="Waiting for review",
    ),
    "articles.TranslationAssignment": lambda user: TranslationAssignment.objects.create(
        article=ArticleFactory(), language_code="zh-hans", translator=user
    ),
    "relations.Occasion": lambda user: translated(OccasionFactory()),
    "relations.OccasionDone": lambda user: OccasionDone.objects.create(
        occasion=OccasionFactory(), year=2025, done_by=user
    ),
    "relations.OccasionReminder": lambda user: OccasionReminder.objects.create(
        occasion=OccasionFactory(), year=2025, recipient=user
    ),
    "translation_desk.Term": lambda user: Term.objects.create(
        key="champasak", kind="place", vi="Champasak", en="Champasak", zh_hans="占巴塞"
    ),
    "translation_desk.TermOverride": lambda user: TermOverride.objects.create(
        edition=add_edition(ArticleFactory(), "vi").translations.get(language_code="en"),
        kind="missing",
        source_text="Champasak",
        expected="Champasak",
        reason="The English title names the province otherwise.",
        overridden_by=user,
    ),
}
# Made once per test and shared by the roles (the others: one per role).
SHARED = set(MAKERS) - {"articles.Notification"}


@pytest.fixture
def object_for(people, request):
    """``object_for(label, role)``: the object of model ``label`` that ``role`` opens."""
    made = {}

    def make(label, role):
        key = label if label in SHARED else (label, role)
        if key not in made:
            if label == "articles.Article":
                made[key] = request.getfixturevalue("draft_article")
            else:
                made[key] = MAKERS[label](people[role])
        return made[key]

    return make


def model_url(model, view, obj=None):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
    if view == "delete_translation":
        return reverse(name, args=[obj.pk, "en"])
    return reverse(name, args=[obj.pk] if view in {"change", "history", "delete"} else [])


def views_of(model):
    views = list(OPENED_BY)
    if not isinstance(admin.site._registry[model], TranslatableAdmin):
        views.remove("delete_translation")
    return views


def as_role(client, people, role):
    client.logout()
    return logged_in(client, people[role])


# The table covers the registry exactly.


def test_every_registered_model_has_a_line_in_the_table():
    assert sorted(BY_LABEL) == sorted(RIGHTS) == sorted(MAKERS)


# Every page of every model, for every role.


@pytest.mark.parametrize("label", sorted(BY_LABEL))
def test_model_pages_open_for_exactly_the_roles_that_hold_the_right(
    client, people, object_for, label
):
    model = BY_LABEL[label]
    expected, observed = {}, {}
    for role in ROLES:
        client = as_role(client, people, role)
        obj = object_for(label, role)
        for view in views_of(model):
            expected[role, view] = expected_status(label, role, view)
            observed[role, view] = client.get(model_url(model, view, obj)).status_code

    assert observed == expected


@pytest.mark.parametrize("label", sorted(BY_LABEL))
def test_model_posts_succeed_for_exactly_the_roles_that_hold_the_right(
    client, people, object_for, label
):
    """Hiding a button is not enough: the server refuses the POST itself. Posts to add
    and change are empty (a refusal comes before the form is read); then the role with
    the fewest rights among those allowed to delete does delete."""
    model = BY_LABEL[label]
    manager = model._default_manager
    observed = {}
    for role in ROLES:
        client = as_role(client, people, role)
        rights = RIGHTS[label].get(role, "")
        obj = object_for(label, role)
        count = manager.count()
        if "a" not in rights:
            observed[role, "add"] = client.post(model_url(model, "add"), {}).status_code
        if "c" not in rights:
            observed[role, "change"] = client.post(model_url(model, "change", obj), {}).status_code
        if "d" not in rights:
            observed[role, "delete"] = client.post(
                model_url(model, "delete", obj), {"post": "yes"}
            ).status_code
            # The change list's bulk action: not offered without the right, and posting it
            # anyway deletes nothing.
            client.post(
                model_url(model, "changelist"),
                {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
            )
            observed[role, "still there"] = manager.filter(pk=obj.pk).exists()
        observed[role, "nothing added"] = manager.count() <= count
    deleter = next((role for role in ROLES if "d" in RIGHTS[label].get(role, "")), None)
    if deleter:
        obj = object_for(label, deleter)
        client = as_role(client, people, deleter)
        observed[deleter, "delete"] = client.post(
            model_url(model, "delete", obj), {"post": "yes"}
        ).status_code
        observed[deleter, "still there"] = manager.filter(pk=obj.pk).exists()

    expected = {key: expected_outcome(*key, deleter=deleter) for key in observed}
    assert observed == expected


def expected_outcome(role, check, *, deleter):
    """Every POST refused (403) but the deleter's delete (302, and the object gone)."""
    if check == "delete":
        return 302 if role == deleter else 403
    if check == "still there":
        return role != deleter
    if check == "nothing added":
        return True
    return 403


def test_article_with_a_workflow_history_is_kept(client, people):
    """Its records cannot be deleted by anyone (ReadOnlyAdminMixin), so neither can it."""
    edition = edition_in_state("draft", author=people["reporter"])
    post_action(as_role(client, people, "reporter"), edition, "submit")

    response = as_role(client, people, "superuser").post(
        model_url(Article, "delete", edition.master), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=edition.master_id).exists()


def test_change_list_edits_are_refused_without_the_change_right(client, people):
    category = CategoryFactory(position=3)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(category.pk),
        "form-0-position": "1",
        "_save": "Save",
    }

    response = as_role(client, people, "reporter").post(
        reverse("admin:articles_category_changelist"), data
    )

    assert response.status_code == 403
    category.refresh_from_db()
    assert category.position == 3


# Anonymous visitors and accounts that are not staff get nothing.


def admin_addresses(article):
    """Every named admin address (and the yearly summary), with its arguments filled in."""
    values = {
        "object_id": str(article.pk),
        "language": "en",
        "language_code": "en",
        "history_id": "1",
        "id": str(article.pk),
        "pk": str(article.pk),
        "content_type_id": "1",
        "app_label": "articles",
    }
    addresses = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + (pattern.namespace or ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{prefix}:{pattern.name}"
                regex = pattern.pattern.regex
                if regex.groupindex:
                    kwargs = {key: values[key] for key in regex.groupindex}
                    addresses[name] = reverse(name, kwargs=kwargs)
                else:  # parler's "delete translation": (object id, language)
                    args = [values["object_id"], values["language"]][: regex.groups]
                    addresses[name] = reverse(name, args=args)

    admin_urls, _app_name, _namespace = admin.site.urls
    walk(admin_urls, "admin")
    addresses["reports:yearly_summary"] = reverse("reports:yearly_summary")
    # Staff pages outside the admin's own URLconf (mounted under admin/).
    for name in [
        "two_step_login",
        "relations:my_calendar",
        "translation_desk:xliff_export",
        "translation_desk:xliff_import",
    ]:
        addresses[name] = reverse(name)
    # The login page is open to all; logging out is always allowed.
    del addresses["admin:login"], addresses["admin:logout"]
    return addresses


@pytest.mark.parametrize("who", ["anonymous", "reader", "former"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_sends_anonymous_and_non_staff_to_the_login_page(
    client, people, draft_article, who, method
):
    if who != "anonymous":
        client.force_login(people[who])
    addresses = admin_addresses(draft_article)
    assert len(addresses) > 100  # every model's pages and the desk's own

    landed = {name: getattr(client, method)(address) for name, address in addresses.items()}

    not_sent_to_login = {
        name: response.status_code
        for name, response in landed.items()
        if response.status_code != 302 or not response.headers["Location"].startswith(LOGIN)
    }
    assert not_sent_to_login == {}
    assert ArticleTranslation.objects.filter(master=draft_article, status="draft").count() == 2


def test_admin_url_walk_covers_the_yearly_summary_and_the_desk(draft_article):
    addresses = admin_addresses(draft_article)

    assert {
        "admin:index",
        "admin:app_list",
        "admin:articles_inbox",
        "admin:articles_article_workflow",
        "admin:articles_article_restore",
        "admin:articles_article_preview",
        "admin:events_activity_import",
        "admin:relations_occasion_calendar",
        "admin:relations_occasion_done",
        "admin:auth_user_password_change",
        "reports:yearly_summary",
        "two_step_login",
    } <= set(addresses)


# The admin index and each app's index.

NEWSROOM = {"articles", "events", "organizations", "relations"}
APPS_OF_ROLE = {
    "staff": set(),
    "reporter": NEWSROOM,
    "translator": {*NEWSROOM, "translation_desk"},
    "editor": {*NEWSROOM, "translation_desk"},
    "chief": {"auth", *NEWSROOM, "translation_desk", "axes", "otp_totp"},
    "superuser": {"auth", *NEWSROOM, "translation_desk", "axes", "otp_totp"},
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_index_and_app_indexes_show_the_apps_of_the_role(client, people, role):
    client = as_role(client, people, role)

    index = client.get(reverse("admin:index"))
    apps = {
        app: client.get(reverse("admin:app_list", args=[app])).status_code
        for app in [
            "auth",
            "articles",
            "events",
            "organizations",
            "relations",
            "translation_desk",
            "axes",
            "otp_totp",
        ]
    }

    assert index.status_code == 200
    assert {app["app_label"] for app in index.context["app_list"]} == APPS_OF_ROLE[role]
    assert apps == {app: 200 if app in APPS_OF_ROLE[role] else 404 for app in apps}


# The desk's own pages.

# Expected status per role for the pages every newsroom role may read.
DESK_PAGES = {
    "staff": 403,
    "reporter": 200,
    "translator": 200,
    "editor": 200,
    "chief": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("view", ["revisions", "preview"])
def test_revisions_and_preview_open_for_those_who_may_read_the_article(
    client, people, draft_article, view
):
    url = reverse(f"admin:articles_article_{view}", args=[draft_article.pk, "vi"])
    observed = {}
    for role in ROLES:
        observed[role] = as_role(client, people, role).get(url).status_code

    assert observed == DESK_PAGES


def test_staff_calendar_opens_for_every_newsroom_role(client, people):
    url = reverse("admin:relations_occasion_calendar")

    observed = {role: as_role(client, people, role).get(url).status_code for role in ROLES}

    assert observed == DESK_PAGES


def test_every_newsroom_role_and_only_it_ticks_an_occasion_done(client, people):
    occasion = OccasionFactory()
    observed = {}
    for role in ROLES:
        OccasionDone.objects.all().delete()
        response = as_role(client, people, role).post(
            reverse("admin:relations_occasion_done"),
            {"occasion": occasion.pk, "year": 2025, "done": "true"},
        )
        mark = OccasionDone.objects.first()
        observed[role] = (response.status_code, mark and mark.done_by.username)

    assert observed == {
        role: (403, None) if status == 403 else (302, people[role].username)
        for role, status in DESK_PAGES.items()
    }


def test_inbox_opens_for_every_staff_account(client, people):
    observed = {
        role: as_role(client, people, role).get(reverse("admin:articles_inbox")).status_code
        for role in ROLES
    }

    assert observed == dict.fromkeys(ROLES, 200)


def test_marking_the_inbox_read_touches_only_ones_own_notifications(client, people, object_for):
    notices = {role: object_for("articles.Notification", role) for role in ["reporter", "editor"]}

    as_role(client, people, "reporter").post(reverse("admin:articles_inbox"))

    for notice in notices.values():
        notice.refresh_from_db()
    assert notices["reporter"].read_at is not None
    assert notices["editor"].read_at is None


def test_someone_elses_notification_is_not_found(client, people, object_for):
    editors_notice = object_for("articles.Notification", "editor")

    response = as_role(client, people, "reporter").get(
        model_url(Notification, "change", editors_notice)
    )

    # Django's answer for an object outside the user's queryset: back to the index.
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("admin:index")


def test_activity_import_is_for_those_who_add_and_change_activities(client, people):
    url = reverse("admin:events_activity_import")
    observed = {
        role: (
            as_role(client, people, role).get(url).status_code,
            client.post(url, {}).status_code,
        )
        for role in ROLES
    }

    allowed = {"editor", "chief", "superuser"}
    assert observed == {role: (200, 200) if role in allowed else (403, 403) for role in ROLES}


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_nobody_reads_an_authenticators_secret(client, people, view):
    device = MAKERS["otp_totp.TOTPDevice"](people["editor"])
    url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
    observed = {
        role: as_role(client, people, role).get(url).status_code
        for role in ["staff", "reporter", "editor", "chief", "superuser"]
    }

    assert observed == dict.fromkeys(observed, 403)


# The yearly summary and its downloads.


@pytest.mark.parametrize("download", [None, "csv"])
def test_yearly_summary_opens_for_every_newsroom_role(client, people, download):
    FriendshipUnionFactory(is_home=True)
    query = {"year": 2024, "language": "vi", **({"format": download} if download else {})}
    url = reverse("reports:yearly_summary")
    observed = {role: as_role(client, people, role).get(url, query).status_code for role in ROLES}

    assert observed == DESK_PAGES


@pytest.mark.parametrize("download", ["csv", "xlsx", "pdf", "docx"])
def test_yearly_summary_download_is_refused_without_a_role(client, people, download):
    FriendshipUnionFactory(is_home=True)

    response = as_role(client, people, "staff").get(
        reverse("reports:yearly_summary"), {"year": 2024, "language": "vi", "format": download}
    )

    assert response.status_code == 403
    assert "Content-Disposition" not in response.headers


# Object-level rules on articles (the workflow decides; the admin asks it).


def test_reporters_read_each_others_drafts_without_being_able_to_change_them(client, people):
    draft = edition_in_state("draft", author=people["reporter"])
    client = as_role(client, people, "other_reporter")

    listing = client.get(reverse("admin:articles_article_changelist"))
    page = client.get(change_url(draft.master, "vi"))

    # Every role holds view_article: the newsroom reads its own drafts.
    assert draft.master in listing.context["cl"].result_list
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["desk"]["actions"] == []


def test_reporter_cannot_save_another_reporters_draft(client, people):
    draft = edition_in_state("draft", author=people["reporter"])
    data = open_change_form(as_role(client, people, "reporter"), draft.master, "vi")

    response = as_role(client, people, "other_reporter").post(
        change_url(draft.master, "vi"), {**data, "title": "Taken over"}
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Source"


def test_reporter_cannot_submit_another_reporters_draft(client, people):
    draft = edition_in_state("draft", author=people["reporter"])

    response = post_action(as_role(client, people, "other_reporter"), draft, "submit")

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_reporter_cannot_restore_a_revision_of_another_reporters_draft(client, people):
    draft = edition_in_state("draft", author=people["reporter"])
    draft.title = "Second version"
    draft.save()
    first = draft.history.order_by("history_date").first()

    response = as_role(client, people, "other_reporter").post(
        reverse("admin:articles_article_restore", args=[draft.master_id, "vi", first.history_id])
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Second version"


def test_restore_takes_only_revisions_of_the_same_edition(client, people):
    mine = edition_in_state("draft", author=people["reporter"])
    theirs = edition_in_state("draft", author=people["other_reporter"])
    theirs.title = "Their scoop"
    theirs.save()
    their_revision = theirs.history.latest()

    response = as_role(client, people, "reporter").post(
        reverse(
            "admin:articles_article_restore",
            args=[mine.master_id, "vi", their_revision.history_id],
        )
    )

    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.title == "Source"


def test_reporter_cannot_delete_an_edition_of_their_own_article(client, people):
    article = edition_in_state("draft", author=people["reporter"]).master
    add_edition(article, "en", title="English draft", status="draft", published_at=None)

    response = as_role(client, people, "reporter").post(
        reverse("admin:articles_article_delete_translation", args=[article.pk, "en"]),
        {"post": "yes"},
    )

    assert response.status_code == 403
    assert article.translations.count() == 2


@pytest.fixture
def translation_of(people):
    """The English edition, assigned to the translator, in a given state."""

    def make(state):
        edition = edition_in_state(state, author=people["reporter"], language="en")
        TranslationAssignment.objects.create(
            article=edition.master, language_code="en", translator=people["translator"]
        )
        return edition

    return make


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("request_changes", "in_review"),
        ("approve", "in_review"),
        ("publish", "approved"),
        ("schedule", "approved"),
        ("unpublish", "published"),
        ("archive", "published"),
    ],
)
def test_translator_cannot_decide_on_their_own_translation(
    client, people, translation_of, action, state
):
    edition = translation_of(state)

    response = post_action(as_role(client, people, "translator"), edition, action)

    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.workflow_state() == state


def test_translator_submits_their_own_translation(client, people, translation_of):
    edition = translation_of("draft")

    response = post_action(as_role(client, people, "translator"), edition, "submit")

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == "in_review"


@pytest.mark.parametrize("language", ["vi", "zh-hans"])
def test_translator_writes_only_the_language_assigned_to_them(
    client, people, translation_of, language
):
    article = translation_of("draft").master
    add_edition(article, "zh-hans", title="中文", status="draft", published_at=None)
    data = open_change_form(as_role(client, people, "chief"), article, language)

    response = as_role(client, people, "translator").post(
        change_url(article, language), {**data, "title": "Overwritten"}
    )

    assert response.status_code == 403
    assert not ArticleTranslation.objects.filter(master=article, title="Overwritten").exists()


@pytest.mark.parametrize(
    ("role", "language", "status_code"),
    [
        ("translator", "zh-hans", 302),  # a free translation
        ("translator", "en", 403),  # assigned to somebody else
        ("translator", "vi", 403),  # the source is the reporter's
        ("reporter", "zh-hans", 403),  # reporters do not translate
    ],
)
def test_who_may_claim_a_translation(client, people, role, language, status_code):
    article = edition_in_state("published", author=people["reporter"]).master
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=people["other_translator"]
    )

    response = as_role(client, people, role).post(
        reverse("admin:articles_article_claim", args=[article.pk, language])
    )

    assert response.status_code == status_code
    assigned = TranslationAssignment.objects.filter(article=article, translator=people[role])
    assert assigned.exists() is (status_code == 302)


@pytest.mark.parametrize(
    ("role", "status_code"),
    [("reporter", 403), ("translator", 403), ("editor", 302), ("chief", 302)],
)
def test_only_the_desk_assigns_translators(client, people, role, status_code):
    article = edition_in_state("published", author=people["reporter"]).master

    response = as_role(client, people, role).post(
        reverse("admin:articles_article_assign", args=[article.pk, "en"]),
        {"translator": people["translator"].pk},
    )

    assert response.status_code == status_code
    assert TranslationAssignment.objects.filter(article=article).exists() is (status_code == 302)


def test_other_translator_cannot_confirm_a_translation_up_to_date(client, people, translation_of):
    edition = translation_of("published")
    ArticleTranslation.objects.filter(pk=edition.pk).update(source_content_version=0)

    response = as_role(client, people, "other_translator").post(
        reverse("admin:articles_article_confirm_source", args=[edition.master_id, "en"])
    )

    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.is_outdated()


def test_workflow_buttons_of_a_missing_edition_are_not_found(client, people):
    article = edition_in_state("draft", author=people["reporter"]).master

    response = as_role(client, people, "chief").post(
        reverse("admin:articles_article_workflow", args=[article.pk, "en"]), {"action": "submit"}
    )

    assert response.status_code == 404


def test_reporter_cannot_publish_through_a_forged_workflow_post(client, people):
    """The button is not shown to a reporter; the POST is refused all the same (the full
    role × action table: test_admin_action_by_role)."""
    edition = edition_in_state("approved", author=people["reporter"])

    response = as_role(client, people, "reporter").post(
        workflow_url(edition), {"action": "publish"}
    )

    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.status == "approved"


# User administration: only the editor-in-chief (and superusers) manage accounts and roles.


def user_form(client, user):
    """The values a browser sends back from ``user``'s account page."""
    response = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert response.status_code == 200
    data = form_values(response)
    joined = timezone.localtime(user.date_joined)
    del data["date_joined"]  # a date and a time input
    data.update(date_joined_0=f"{joined:%Y-%m-%d}", date_joined_1=f"{joined:%H:%M:%S}")
    return data


@pytest.mark.parametrize("role", ["reporter", "translator", "editor"])
def test_newsroom_roles_cannot_give_themselves_a_role(client, people, role):
    user = people[role]
    chief_group = Group.objects.get(name=EDITOR_IN_CHIEF)
    data = user_form(as_role(client, people, "superuser"), user)

    response = as_role(client, people, role).post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {**data, "groups": [str(chief_group.pk)], "is_superuser": "on"},
    )

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.groups.filter(pk=chief_group.pk).exists()
    assert not user.is_superuser


@pytest.mark.parametrize("role", ["reporter", "translator", "editor"])
def test_newsroom_roles_cannot_add_accounts(client, people, role):
    response = as_role(client, people, role).post(
        reverse("admin:auth_user_add"),
        {"username": "mole", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )

    assert response.status_code == 403
    assert not Group.objects.get(name=REPORTER).user_set.filter(username="mole").exists()
    assert not type(people[role]).objects.filter(username="mole").exists()


def test_editor_in_chief_gives_a_reporter_the_editor_role(client, people):
    reporter = people["reporter"]
    editor_group = Group.objects.get(name="Editor")
    client = as_role(client, people, "chief")
    data = user_form(client, reporter)

    response = client.post(
        reverse("admin:auth_user_change", args=[reporter.pk]),
        {**data, "groups": [str(editor_group.pk)]},
    )

    assert response.status_code == 302
    assert list(reporter.groups.all()) == [editor_group]


def test_editor_in_chief_cannot_make_anyone_a_superuser(client, people):
    chief = people["chief"]
    client = as_role(client, people, "chief")
    data = user_form(client, chief)

    client.post(reverse("admin:auth_user_change", args=[chief.pk]), {**data, "is_superuser": "on"})

    chief.refresh_from_db()
    assert not chief.is_superuser


def test_editor_in_chief_cannot_grant_single_permissions(client, people):
    reporter = people["reporter"]
    client = as_role(client, people, "chief")
    data = user_form(client, reporter)
    publish = reporter.groups.model.permissions.field.related_model.objects.get(
        codename="publish_article"
    )

    client.post(
        reverse("admin:auth_user_change", args=[reporter.pk]),
        {**data, "user_permissions": [str(publish.pk)]},
    )

    assert not reporter.user_permissions.exists()


def test_editor_in_chief_gives_roles_only_newsroom_permissions(client, people):
    response = as_role(client, people, "chief").get(
        reverse("admin:auth_group_change", args=[Group.objects.get(name=REPORTER).pk])
    )

    choices = response.context["adminform"].form.fields["permissions"].queryset
    assert set(choices.values_list("content_type__app_label", flat=True)) == {
        "articles",
        "auth",
        "events",
        "organizations",
        "relations",
        "translation_desk",
    }


@pytest.mark.parametrize("view", ["change", "password_change", "delete"])
def test_editor_in_chief_cannot_take_over_a_superuser_account(client, people, view):
    superuser = people["superuser"]
    password = superuser.password

    response = as_role(client, people, "chief").post(
        reverse(f"admin:auth_user_{view}", args=[superuser.pk]),
        {"password1": "chief-knows-it-now", "password2": "chief-knows-it-now", "post": "yes"},
    )

    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.password == password


def test_reporter_cannot_change_their_password_through_user_administration(client, people):
    reporter = people["reporter"]
    password = reporter.password

    response = as_role(client, people, "reporter").post(
        reverse("admin:auth_user_password_change", args=[reporter.pk]),
        {"password1": "a-new-pass-phrase", "password2": "a-new-pass-phrase"},
    )

    assert response.status_code == 403
    reporter.refresh_from_db()
    assert reporter.password == password
