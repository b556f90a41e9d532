from datetime import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from parler.admin import TranslatableAdmin, TranslatableTabularInline

from articles import inbox, revisions, workflow
from articles.forms import SHARED_FIELDS, ArticleAdminForm
from articles.models import (
    CONTENT_FIELDS,
    Article,
    ArticleTranslation,
    Category,
    Correction,
    EditionEvent,
    EditionStatus,
    GalleryPhoto,
    Notification,
    Photo,
    Tag,
    TranslationAssignment,
    WorkflowAction,
)
from articles.renditions import renditions
from articles.roles import NEWSROOM_APPS, users_with_permission
from articles.views import article_page, preview_url
from friendship_site.admin import (
    PrefetchingAdminMixin,
    ReadOnlyAdminMixin,
    TranslatedRelatedFieldListFilter,
)
from translation_desk import side_by_side
from translation_desk import views as translation_desk_views
from translation_desk.segments import articles_for_exchange, write_translation


@admin.register(Category)
class CategoryAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "position", "language_column"]
    list_editable = ["position"]
    search_fields = ["translations__name"]
    fields = ["name", "slug", "description", "position"]


@admin.register(Tag)
class TagAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "language_column"]
    search_fields = ["translations__name"]
    fields = ["name", "slug"]


@admin.register(Photo)
class PhotoAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["thumbnail", "__str__", "width", "height", "language_column"]
    search_fields = ["translations__caption", "translations__credit"]
    fields = ["image", "caption", "alt_text", "credit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Make the renditions now, not on the first reader's request (about a second each).
        transaction.on_commit(lambda: renditions(obj))

    @admin.display(description=_("preview"))
    def thumbnail(self, photo):
        if not photo.image:
            return "–"
        return format_html('<img src="{}" alt="" style="max-height:60px">', photo.image.url)


class GalleryPhotoInline(admin.TabularInline):
    model = GalleryPhoto
    extra = 0
    autocomplete_fields = ["photo"]


class CorrectionInline(TranslatableTabularInline):
    """Corrections and updates, in the language of the tab being edited."""

    model = Correction
    extra = 0
    fields = ["created_at", "text"]


class EditionFilter(admin.SimpleListFilter):
    """Filter articles by the state of one language's edition, or by a scheduled edition."""

    title = _("editions")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        choices = [("scheduled", _("Scheduled (any language)"))]
        for code, name in settings.LANGUAGES:
            choices += [
                (f"{code}:in_review", _("%(language)s: in review") % {"language": name}),
                (f"{code}:published", _("%(language)s: published") % {"language": name}),
                (f"{code}:outdated", _("%(language)s: outdated") % {"language": name}),
                (f"{code}:missing", _("%(language)s: missing") % {"language": name}),
            ]
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() == "scheduled":
            return queryset.scheduled()
        language, _sep, state = self.value().partition(":")
        if language not in dict(settings.LANGUAGES):
            return queryset.none()
        if state == "outdated":
            return queryset.outdated_in(language)
        if state == "missing":
            return queryset.missing_edition(language)
        if state == "published":
            return queryset.published(language)
        if state == "in_review":
            return queryset.in_status(EditionStatus.IN_REVIEW, language)
        return queryset.none()


def edition_badge(article, language):
    """(symbol, text) for one language of an article: ✓ published, ⚠ outdated…"""
    edition = article.edition(language)
    if edition is None:
        return "—", _("missing")
    if edition.is_outdated():
        return "⚠", _("outdated")
    state = edition.workflow_state()
    if state == EditionStatus.PUBLISHED:
        return "✓", _("published")
    return "•", workflow.state_label(state)


@admin.register(Article)
class ArticleAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    form = ArticleAdminForm
    list_display = ["__str__", "category", "editions", "created_by"]
    list_filter = [
        EditionFilter,
        ("category", TranslatedRelatedFieldListFilter),
        "source_language",
        ("tags", TranslatedRelatedFieldListFilter),
    ]
    search_fields = ["translations__title", "translations__lead"]
    list_select_related = ["created_by"]
    list_prefetch_related = ["category__translations"]
    autocomplete_fields = [
        "category",
        "tags",
        "lead_photo",
        "activities",
        "localities",
        "associations",
        "countries",
    ]
    inlines = [GalleryPhotoInline, CorrectionInline]
    actions = ["export_for_translation_into_english", "export_for_translation_into_chinese"]

    # Permissions: what a role may do to which edition is decided by articles.workflow.

    def has_translate_permission(self, request):
        return translation_desk_views.translates(request.user)

    def export_for_translation(self, request, queryset, language):
        """The chosen articles as one XLIFF file, if the user may send out every one."""
        allowed = translation_desk_views.exportable_articles(request.user, language)
        if queryset.exclude(pk__in=allowed.values("pk")).exists():
            self.message_user(
                request,
                _(
                    "Only Vietnamese sources, and for a translator the articles assigned to "
                    "them, can be exported for translation: nothing was exported."
                ),
                messages.ERROR,
            )
            return None
        return translation_desk_views.xliff_attachment(queryset, language)

    @admin.action(
        permissions=["translate"], description=_("Export for translation into English (XLIFF)")
    )
    def export_for_translation_into_english(self, request, queryset):
        return self.export_for_translation(request, queryset, "en")

    @admin.action(
        permissions=["translate"], description=_("Export for translation into Chinese (XLIFF)")
    )
    def export_for_translation_into_chinese(self, request, queryset):
        return self.export_for_translation(request, queryset, "zh-hans")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "articles.translate_article"
        )

    def has_change_permission(self, request, obj=None):
        user = request.user
        if obj is None:
            return super().has_change_permission(request) or user.has_perm(
                "articles.translate_article"
            )
        return workflow.can_edit(user, obj, self.get_form_language(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or workflow.is_desk(request.user)
        )

    def get_fieldsets(self, request, obj=None):
        language = self.get_form_language(request, obj)
        edition = obj.edition(language) if obj else None
        text_fields = ["title", "slug", "lead", "body"]
        if obj and language == obj.source_language and edition and edition.pk:
            text_fields.append("minor_edit")
        if edition and edition.is_outdated():
            text_fields.append("source_applied")
        return [
            (None, {"fields": text_fields}),
            (_("Credits"), {"fields": ["reporter_credit", "translator_credit", "source_url"]}),
            (
                _("Classification (all languages)"),
                {"fields": ["source_language", "category", "tags", "lead_photo"]},
            ),
            (
                _("What the article reports on (all languages)"),
                {"fields": ["activities", "localities", "associations", "countries"]},
            ),
            (_("Search engines"), {"fields": ["seo_description"]}),
            (
                None,
                {
                    "fields": ["started_edition_version", "started_shared_version"],
                    "classes": ["hidden"],
                },
            ),
        ]

    def get_form_language(self, request, obj=None):
        # Reporters write the Vietnamese source: a new article starts in the source language.
        if obj is None and not workflow.is_desk(request.user):
            return settings.LANGUAGE_CODE
        return super().get_form_language(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if not workflow.can_edit_shared_fields(request.user, obj):
            return SHARED_FIELDS
        if not workflow.is_desk(request.user):
            return ["source_language"]
        return []

    def get_inlines(self, request, obj):
        if workflow.can_edit_shared_fields(request.user, obj):
            return self.inlines
        return [CorrectionInline] if obj else []

    def save_model(self, request, obj, form, change):
        language = form.language_code
        if not change:
            obj.created_by = request.user
        edition = obj._get_translated_model(language, auto_create=True)
        edition.last_edited_by = request.user
        edition.minor_edit = bool(form.cleaned_data.get("minor_edit")) and edition.pk is not None
        if language != obj.source_language and (
            edition.pk is None or form.cleaned_data.get("source_applied")
        ):
            edition.follow_source()
        if any(name in form.changed_data for name in SHARED_FIELDS):
            obj.shared_version += 1
        super().save_model(request, obj, form, change)
        if edition.minor_edit and set(form.changed_data) & set(CONTENT_FIELDS):
            EditionEvent.objects.create(
                article=obj,
                language_code=language,
                action=WorkflowAction.MINOR_EDIT,
                actor=request.user,
                comment=_("No retranslation needed"),
            )

    @admin.display(description=_("editions"))
    def editions(self, article):
        """Each language at a glance: "vi ✓ · en ⚠ outdated · zh-hans — missing"."""
        return " · ".join(
            f"{code} {symbol}" if symbol == "✓" else f"{code} {symbol} {text}"
            for code, _name in settings.LANGUAGES
            for symbol, text in [edition_badge(article, code)]
        )

    # The desk: workflow actions, assignments, revisions, previews, inbox.

    def get_urls(self):
        edition_views = [
            ("workflow/<str:language>/", self.workflow_view, "workflow"),
            ("assign/<str:language>/", self.assign_view, "assign"),
            ("claim/<str:language>/", self.claim_view, "claim"),
            ("confirm-source/<str:language>/", self.confirm_source_view, "confirm_source"),
            ("revisions/<str:language>/", self.revisions_view, "revisions"),
            ("revisions/<str:language>/<int:history_id>/restore/", self.restore_view, "restore"),
            ("preview/<str:language>/", self.preview_view, "preview"),
            ("side-by-side/<str:language>/", self.side_by_side_view, "side_by_side"),
        ]
        return [
            path("inbox/", self.admin_site.admin_view(self.inbox_view), name="articles_inbox"),
            *(
                path(
                    f"<path:object_id>/{route}",
                    self.admin_site.admin_view(view),
                    name=f"articles_article_{name}",
                )
                for route, view, name in edition_views
            ),
            *super().get_urls(),
        ]

    def _article_and_language(self, request, object_id, language):
        article = self.get_object(request, object_id)
        if article is None or language not in dict(settings.LANGUAGES):
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def _edition(self, request, object_id, language):
        """The article and its ``language`` edition; 404 when there is no such edition."""
        article = self._article_and_language(request, object_id, language)
        edition = article.edition(language)
        if edition is None:
            raise Http404
        return article, edition

    def _back_to(self, article, language):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(f"{url}?language={language}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        language = self.get_form_language(request, obj)
        context["desk"] = self.desk_context(request, obj, language) if obj else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, article, language):
        user = request.user
        edition = article.edition(language)
        events = list(article.events.filter(language_code=language).select_related("actor")[:20])
        last_request = next(
            (event for event in events if event.action == WorkflowAction.REQUEST_CHANGES), None
        )
        translators = []
        if user.has_perm("articles.assign_translator") and language != article.source_language:
            translators = users_with_permission("translate_article")
        return {
            "language": language,
            "edition": edition,
            "state": workflow.state_label(edition.workflow_state()) if edition else None,
            "actions": workflow.available_actions(user, edition) if edition else [],
            "changes_requested": (
                last_request
                if edition and edition.status == EditionStatus.CHANGES_REQUESTED
                else None
            ),
            "events": events,
            "badges": [(code, *edition_badge(article, code)) for code, _name in settings.LANGUAGES],
            "translator": workflow.assigned_translator(article, language),
            "translators": translators,
            "can_claim": workflow.can_claim(user, article, language),
            "can_edit": workflow.can_edit(user, article, language),
            "source_changes": revisions.source_changes(edition) if edition else [],
            # The term check's problems the translator kept, for the reviewing editor.
            "term_overrides": (
                edition.term_overrides.select_related("overridden_by")
                if edition and edition.pk and language != article.source_language
                else []
            ),
            **scheduling_context(),
        }

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, language):
        article, edition = self._edition(request, object_id, language)
        # Reasons given on the term check's page, one per problem ("reason:<problem key>").
        reasons = {
            name.removeprefix("reason:"): value
            for name, value in request.POST.items()
            if name.startswith("reason:")
        }
        try:
            when = parse_local_datetime(request.POST.get("when", ""))
            event = workflow.perform(
                request.POST.get("action", ""),
                edition,
                by=request.user,
                comment=request.POST.get("comment", ""),
                when=when,
                overrides=reasons,
            )
        except ValueError:
            messages.error(request, _("Unknown action or time."))
        except workflow.TermCheckFailed as refusal:
            return self.term_check_view(request, article, edition, refusal.problems, reasons)
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            self._report_event(request, event, language)
        if request.POST.get("from") == "side_by_side":
            return HttpResponseRedirect(self._side_by_side_url(article, language))
        return self._back_to(article, language)

    def _report_event(self, request, event, language):
        messages.success(
            request,
            _("%(action)s: the %(language)s edition is now “%(state)s”.")
            % {
                "action": event.get_action_display(),
                "language": language,
                "state": workflow.state_label(event.to_status),
            },
        )

    def _side_by_side_url(self, article, language):
        return reverse("admin:articles_article_side_by_side", args=[article.pk, language])

    def term_check_view(self, request, article, edition, problems, reasons):
        """The submission refused by the term check: each problem, to fix in the form (or
        on the side-by-side page it came from) or to override with a reason ("submit
        anyway")."""
        from_side_by_side = request.POST.get("from") == "side_by_side"
        change_url = (
            self._side_by_side_url(article, edition.language_code)
            if from_side_by_side
            else f"{reverse('admin:articles_article_change', args=[article.pk])}"
            f"?language={edition.language_code}"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Term check of the %(language)s edition")
            % {"language": edition.language_code},
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "edition": edition,
            "language": edition.language_code,
            "problems": [(problem, reasons.get(problem.key, "")) for problem in problems],
            "comment": request.POST.get("comment", ""),
            "change_url": change_url,
            "from_side_by_side": from_side_by_side,
        }
        return TemplateResponse(request, "admin/articles/article/term_check.html", context)

    @method_decorator(require_POST)
    def assign_view(self, request, object_id, language):
        article = self._article_and_language(request, object_id, language)
        translator = get_user_model().objects.filter(pk=request.POST.get("translator")).first()
        if translator is None:
            messages.error(request, _("Choose a translator."))
            return self._back_to(article, language)
        try:
            workflow.assign_translator(article, language, translator, by=request.user)
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("%(user)s translates this edition.") % {"user": translator})
        return self._back_to(article, language)

    @method_decorator(require_POST)
    def claim_view(self, request, object_id, language):
        article = self._article_and_language(request, object_id, language)
        workflow.claim_translation(article, language, by=request.user)
        messages.success(request, _("You translate this edition."))
        return self._back_to(article, language)

    @method_decorator(require_POST)
    def confirm_source_view(self, request, object_id, language):
        article, edition = self._edition(request, object_id, language)
        try:
            workflow.confirm_source(edition, by=request.user)
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("The translation is marked up to date."))
        return self._back_to(article, language)

    def revisions_view(self, request, object_id, language):
        article, edition = self._edition(request, object_id, language)
        records = list(edition.history.select_related("history_user").order_by("-history_date"))
        by_id = {record.history_id: record for record in records}
        comparison = None
        older = by_id.get(to_int(request.GET.get("a")))
        newer = by_id.get(to_int(request.GET.get("b")))
        if older and newer:
            if older.history_date > newer.history_date:
                older, newer = newer, older
            comparison = {"older": older, "newer": newer, "rows": revisions.compare(older, newer)}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions of the %(language)s edition") % {"language": language},
            "opts": self.model._meta,
            "article": article,
            "edition": edition,
            "language": language,
            "records": records,
            "comparison": comparison,
            "can_restore": workflow.can_edit(request.user, article, language),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, language, history_id):
        article = self._article_and_language(request, object_id, language)
        edition = article.edition(language)
        if edition is None or not workflow.can_edit(request.user, article, language):
            raise PermissionDenied
        record = get_object_or_404(edition.history, history_id=history_id)
        revisions.restore(edition, record, by=request.user)
        messages.success(request, _("The revision has been restored."))
        return self._back_to(article, language)

    def preview_view(self, request, object_id, language):
        article, edition = self._edition(request, object_id, language)
        with translation.override(language):
            share_url = request.build_absolute_uri(preview_url(article, language))
            page_edition = ArticleTranslation.objects.for_article_page().get(pk=edition.pk)
            return article_page(request, page_edition, preview_share_url=share_url)

    def side_by_side_view(self, request, object_id, language):
        """The translation next to its source, part by part (translation_desk.side_by_side):
        saved under the same version check as the form, submitted through the workflow
        (and so the term check)."""
        article = self._article_and_language(request, object_id, language)
        if language == article.source_language:
            raise Http404
        article = (
            articles_for_exchange(Article.objects.filter(pk=article.pk))
            .prefetch_related("assignments__translator")
            .get()
        )
        can_edit = workflow.can_edit(request.user, article, language)
        if request.method == "POST" and not can_edit:
            raise PermissionDenied
        here = self._side_by_side_url(article, language)
        data = request.POST if request.method == "POST" else None
        restructure = "1" in (request.GET.get("restructure"), request.POST.get("restructure"))
        with transaction.atomic():
            page = side_by_side.build_page(article, language, restructure)
            form = None
            if can_edit:
                form = side_by_side.SideBySideForm(
                    data, article=article, language=language, page=page
                )
            if data is not None and form.is_valid():
                edition = write_translation(
                    article,
                    language,
                    form.translations(),
                    by=request.user,
                    reason=_("Translated side by side"),
                    follows_source=form.cleaned_data.get("source_applied", False),
                    rebuilds_body=page.body_editable,
                )
            elif data is not None:
                transaction.set_rollback(True)
        if data is not None and form.is_valid():
            if "_submit" not in request.POST:
                messages.success(request, _("The translation has been saved."))
                return HttpResponseRedirect(here)
            try:
                event = workflow.perform(workflow.Action.SUBMIT, edition, by=request.user)
            except workflow.TermCheckFailed as refusal:
                return self.term_check_view(request, article, edition, refusal.problems, {})
            except (workflow.TransitionNotAllowed, PermissionDenied) as refusal:
                messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
            else:
                self._report_event(request, event, language)
            return HttpResponseRedirect(here)
        edition = article.edition(language)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translate side by side"),
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "source": article.source_edition(),
            "edition": edition,
            "language": language,
            "page": page,
            "form": form,
            "state": workflow.state_label(edition.workflow_state()) if edition else None,
            "translator": workflow.assigned_translator(article, language),
            "can_submit": can_edit
            and (
                edition is None
                or workflow.Action.SUBMIT in workflow.available_actions(request.user, edition)
            ),
            "outdated": bool(edition and edition.is_outdated()),
            # Reviewing here: the workflow's other actions (submitting is the save button's).
            "actions": [
                action
                for action in (workflow.available_actions(request.user, edition) if edition else [])
                if form is None or action != workflow.Action.SUBMIT
            ],
            "term_overrides": (
                edition.term_overrides.select_related("overridden_by") if edition else []
            ),
            **scheduling_context(),
            "change_url": f"{reverse('admin:articles_article_change', args=[article.pk])}"
            f"?language={language}",
        }
        return TemplateResponse(request, "admin/articles/article/side_by_side.html", context)

    def inbox_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": _("My desk"),
            "opts": self.model._meta,
            **inbox.for_user(request.user),
        }
        if request.method == "POST":
            request.user.newsroom_notifications.unread().update(read_at=timezone.now())
            return HttpResponseRedirect(reverse("admin:articles_inbox"))
        return TemplateResponse(request, "admin/articles/inbox.html", context)


def scheduling_context():
    """What the schedule action's time field needs: now, and the newsroom's time zone."""
    return {
        "local_now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "time_zone": settings.TIME_ZONE,
    }


def to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_local_datetime(value):
    """A "YYYY-MM-DDTHH:MM" from a datetime-local input, in the newsroom's time zone."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@admin.register(EditionEvent)
class EditionEventAdmin(PrefetchingAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "article", "language_code", "action", "to_status", "actor"]
    list_filter = ["action", "language_code"]
    search_fields = ["comment", "article__translations__title"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    list_prefetch_related = ["article__translations"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "article", "language_code", "action", "read_at"]
    list_filter = ["action", "language_code"]
    search_fields = ["message"]
    list_select_related = ["recipient"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("article__translations")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(recipient=request.user)


@admin.register(TranslationAssignment)
class TranslationAssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "language_code", "translator", "assigned_by", "assigned_at"]
    list_filter = ["language_code"]
    list_select_related = ["translator", "assigned_by"]
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("article__translations")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translator":
            kwargs["queryset"] = users_with_permission("translate_article")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Accounts and roles: the editor-in-chief holds every permission of the newsroom's apps and of
# accounts (articles/roles.py), but superuser status is not one of them. Without the rules
# below they could tick "superuser" on their own account, or set a superuser's password and
# log in as them.


class NewsroomUserAdmin(UserAdmin):
    """Roles are given through groups; superuser status and single permissions (which bypass
    the roles' table) are a superuser's to give, and a superuser's account theirs to change."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [*fields, "is_superuser", "user_permissions"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class NewsroomGroupAdmin(GroupAdmin):
    """A role may hold only the permissions the editor-in-chief holds: the newsroom's apps
    and accounts (not, say, the login records of django-axes)."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions" and not request.user.is_superuser:
            formfield.queryset = formfield.queryset.filter(
                content_type__app_label__in=[*NEWSROOM_APPS, "auth"]
            )
        return formfield


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), NewsroomUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, NewsroomGroupAdmin)
