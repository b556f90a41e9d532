"""Admin pages of the XLIFF exchange: export articles for outside translators, import
their work back (translation_desk/xliff.py does the work)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import workflow
from articles.models import Article, Category, EditionStatus, TranslationAssignment
from translation_desk import xliff
from translation_desk.segments import articles_for_exchange


def translates(user):
    """Translators and the desk (editors) exchange XLIFF files; reporters do not."""
    return user.has_perm("articles.translate_article") or workflow.is_desk(user)


def language_choices():
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in xliff.target_languages()]


class ExportFilterForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Target language"), choices=language_choices)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.prefetch_related("translations"),
        required=False,
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State of the translation"),
        choices=[("", gettext_lazy("Any"))] + EditionStatus.choices,
        required=False,
    )
    missing = forms.BooleanField(
        label=gettext_lazy("Not yet translated into the target language"), required=False
    )


class ExportForm(forms.Form):
    language = forms.ChoiceField(choices=language_choices, widget=forms.HiddenInput)
    articles = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Articles"),
        queryset=Article.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one article.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = queryset


def exportable_articles(user, language, filters=None):
    """What ``user`` may send out for translation into ``language``: any source for the
    desk, the articles assigned to them in that language for a translator."""
    articles = Article.objects.language(settings.LANGUAGE_CODE).filter(
        source_language=settings.LANGUAGE_CODE
    )
    if not workflow.is_desk(user):
        assigned = TranslationAssignment.objects.filter(
            translator=user, language_code=language
        ).values("article")
        articles = articles.filter(pk__in=assigned)
    filters = filters or {}
    if filters.get("category"):
        articles = articles.filter(category=filters["category"])
    if filters.get("state"):
        articles = articles.in_status(filters["state"], language)
    if filters.get("missing"):
        articles = articles.missing_edition(language)
    return (
        articles.select_related("category")
        .prefetch_related("translations", "category__translations")
        .order_by("-created_at", "-pk")
    )


def xliff_attachment(articles, language):
    """The XLIFF file of ``articles`` for translation into ``language``, as a download."""
    document = xliff.export(articles_for_exchange(articles).order_by("pk"), language)
    response = HttpResponse(document, content_type="application/x-xliff+xml")
    response["Content-Disposition"] = f'attachment; filename="{xliff.export_filename(language)}"'
    return response


def _admin_context(request, title, **context):
    return {**admin.site.each_context(request), "title": title, **context}


@staff_member_required
def export_xliff(request):
    if not translates(request.user):
        raise PermissionDenied
    filters = ExportFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    language = chosen.get("language") or xliff.target_languages()[0]
    queryset = exportable_articles(request.user, language, chosen)
    if request.method == "POST":
        # The language of the POST decides; the list it checks against must use it too.
        language = request.POST.get("language", language)
        form = ExportForm(request.POST, queryset=exportable_articles(request.user, language))
        if form.is_valid():
            chosen = [article.pk for article in form.cleaned_data["articles"]]
            return xliff_attachment(
                Article.objects.filter(pk__in=chosen), form.cleaned_data["language"]
            )
    else:
        form = ExportForm(initial={"language": language}, queryset=queryset)
    checked = set(form["articles"].value() or []) if form.is_bound else set()
    rows = []
    for article in queryset:
        edition = article.edition(language)
        rows.append(
            {
                "article": article,
                "state": workflow.state_label(edition.workflow_state()) if edition else "",
                "outdated": edition is not None and edition.is_outdated(),
                "checked": str(article.pk) in checked,
            }
        )
    context = _admin_context(
        request,
        _("Export for translation"),
        filters=filters,
        form=form,
        language=language,
        language_name=dict(settings.LANGUAGES).get(language, language),
        rows=rows,
    )
    return render(request, "admin/translation_desk/xliff_export.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Translated XLIFF file"),
        help_text=gettext_lazy("The file exported here, translated in your CAT tool (XLIFF 1.2)."),
    )


@staff_member_required
def import_xliff(request):
    if not translates(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = xliff.import_xliff(form.cleaned_data["file"], request.user)
            except ValidationError as refusal:
                form.add_error("file", refusal)
    else:
        form = ImportForm()
    context = _admin_context(request, _("Import a translation"), form=form, result=result)
    status = 200 if result is None or result.ok else 422
    if form.errors:
        status = 400
    return render(request, "admin/translation_desk/xliff_import.html", context, status=status)
