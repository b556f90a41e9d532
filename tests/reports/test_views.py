import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:yearly_summary")


def test_yearly_summary_is_at_its_admin_address():
    assert URL == "/admin/reports/yearly-summary/"


def test_anonymous_users_are_sent_to_the_admin_login(client):
    response = client.get(URL, {"year": 2017, "language": "vi"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_view_permissions_is_refused(client):
    client.force_login(UserFactory(username="no-role"))

    response = client.get(URL, {"year": 2017, "language": "vi"})

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["reporter", "translator", "editor", "chief"])
def test_every_newsroom_role_sees_the_summary(client, newsroom, year_2017, role):
    client.force_login(newsroom[role])

    response = client.get(URL, {"year": 2017, "language": "en"})

    assert response.status_code == 200


def test_summary_page_shows_tables_chart_and_downloads(client, newsroom, year_2017):
    client.force_login(newsroom["editor"])

    response = client.get(URL, {"year": 2017, "language": "vi"})

    content = response.content.decode()
    assert "Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương" in content
    assert "700.500,00" in content
    assert "+21,48%" in content
    assert "<svg" in content
    for format in ["xlsx", "csv", "pdf", "docx"]:
        assert f"?year=2017&amp;language=vi&amp;format={format}" in content


def test_summary_page_without_a_year_shows_the_pickers_only(client, newsroom):
    client.force_login(newsroom["editor"])

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["report"] is None
    assert 'name="year"' in response.content.decode()


def test_summary_page_reports_an_invalid_year(client, newsroom, union):
    client.force_login(newsroom["editor"])

    response = client.get(URL, {"year": "twenty", "language": "vi"})

    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["year"]


def test_download_returns_the_file(client, newsroom, year_2017):
    client.force_login(newsroom["editor"])

    response = client.get(URL, {"year": 2017, "language": "en", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == ('attachment; filename="yearly-summary-2017-en.xlsx"')
    assert response.content.startswith(b"PK")
