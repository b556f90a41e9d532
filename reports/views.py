from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from reports.charts import bar_chart
from reports.exporters import FORMATS, export, filename
from reports.forms import YearlySummaryForm
from reports.report import build_report
from reports.summary import NoHomeUnion

# The summary shows aggregates of what these permissions already let a user see, one by
# one, in the admin: every newsroom role holds them (articles/roles.py).
SUMMARY_PERMISSIONS = [
    "events.view_activity",
    "events.view_reportedfigure",
    "articles.view_article",
]


@admin.site.admin_view
@permission_required(SUMMARY_PERMISSIONS, raise_exception=True)
def yearly_summary(request):
    """Pickers, the tables and charts on screen, and the downloads (``?format=``)."""
    form = YearlySummaryForm(request.GET if "year" in request.GET else None)
    if form.is_bound:
        form.is_valid()
    else:
        form = YearlySummaryForm(initial=YearlySummaryForm.initial_values())
    report = error = None
    if form.is_bound and form.is_valid():
        try:
            report = build_report(form.cleaned_data["year"], form.cleaned_data["language"])
        except NoHomeUnion:
            error = _("The site's union is not in the database: load the seed content first.")
        download = form.cleaned_data["format"]
        if report and download:
            response = HttpResponse(export(report, download), content_type=FORMATS[download][1])
            response["Content-Disposition"] = f'attachment; filename="{filename(report, download)}"'
            return response
    context = {
        **admin.site.each_context(request),
        "title": _("Yearly summary"),
        "form": form,
        "report": report,
        "error": error,
        "show_label": _("Show"),
        "download_label": _("Download"),
    }
    if report:
        context["sections"] = [
            (
                section,
                section.display_rows(report.language),
                bar_chart(section.chart, report.language) if section.chart else None,
            )
            for section in report.sections
        ]
        query = f"year={report.year}&language={report.language}"
        context["downloads"] = [(name.upper(), f"?{query}&format={name}") for name in FORMATS]
    return render(request, "admin/reports/yearly_summary.html", context)
